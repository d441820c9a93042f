"""Extensions, created unbound and bound to an app in create_app."""

from flask_login import LoginManager
from flask_sock import Sock
from flask_socketio import SocketIO

socketio = SocketIO()
sock = Sock()
login_manager = LoginManager()
