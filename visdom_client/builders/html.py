"""Builders for HTML-content windows: text, svg, matplotlib figures, audio, video, properties."""

import base64
import io
import math
import os
import re
import wave
from html import escape

import numpy as np

from ..errors import bad_type, bad_value
from .arrays import require_numeric, to_array
from .common import Request, is_number, prepare_opts, window_body

PROPERTY_TYPES = ("text", "number", "button", "checkbox", "select")
AUDIO_TYPES = {"wav": "wav", "mp3": "mp3", "ogg": "ogg", "flac": "flac"}
VIDEO_TYPES = {"mp4": "mp4", "ogv": "ogg", "avi": "avi", "webm": "webm"}


def text(content, win=None, env=None, opts=None, append=False):
    """Return the request showing `content` (HTML) in a text window, or appending to one."""
    if is_number(content):
        content = str(content)
    if not isinstance(content, str):
        raise bad_type("text", "a string", content)
    opts = prepare_opts(opts)
    data = [{"content": content, "type": "text"}]
    return Request("update" if append else "events", window_body(data, win, env, opts))


def properties(items, win=None, env=None, opts=None):
    """Return the request showing an editable properties panel."""
    if not isinstance(items, (list, tuple)):
        raise bad_type("data", "a list of property dicts", items)
    for i, item in enumerate(items):
        if not isinstance(item, dict):
            raise bad_type(f"data[{i}]", "a dict with 'type', 'name' and 'value'", item)
        if item.get("type") not in PROPERTY_TYPES:
            raise bad_value(
                f"data[{i}]['type']", f"one of {PROPERTY_TYPES}", repr(item.get("type"))
            )
    opts = prepare_opts(opts)
    data = [{"content": list(items), "type": "properties"}]
    return Request("events", window_body(data, win, env, opts))


def caption_html(opts):
    """Return the escaped <p> caption that 0.3.0 puts under an audio or video player."""
    caption = opts.get("caption")
    return f"<p>{escape(str(caption))}</p>" if caption else ""


TABLE_STYLE = (
    "<style>"
    ".visdom-table { font-family: monospace; border-collapse: collapse; width: 100%; }"
    ".visdom-table th { background-color: #2196F3; color: white; padding: 8px 12px;"
    " text-align: left; }"
    ".visdom-table td { padding: 6px 12px; border-bottom: 1px solid #ddd; }"
    ".visdom-table tr:nth-child(even) td { background-color: #f2f2f2; }"
    ".visdom-table tr:nth-child(odd) td { background-color: #ffffff; }"
    ".visdom-table tr:hover td { background-color: #ddeeff; }"
    "</style>"
)


def table(headers, rows, win=None, env=None, opts=None):
    """Return the request showing rows under headers as a styled HTML table (text window).

    Every header and cell is converted with str() and HTML-escaped.
    """
    if not isinstance(headers, list):
        raise bad_type("headers", "a list of column names", headers)
    if not isinstance(rows, list):
        raise bad_type("data", "a list of rows", rows)
    for i, row in enumerate(rows):
        if not isinstance(row, list | tuple):
            raise bad_type(f"data[{i}]", "a list or tuple of cells", row)
        if len(row) != len(headers):
            raise bad_value(f"data[{i}]", f"{len(headers)} cells (one per header)", len(row))
    head = "".join(f"<th>{escape(str(h))}</th>" for h in headers)
    body = "".join(
        "<tr>" + "".join(f"<td>{escape(str(cell))}</td>" for cell in row) + "</tr>" for row in rows
    )
    content = (
        f"{TABLE_STYLE}<table class='visdom-table'><thead><tr>{head}</tr></thead>"
        f"<tbody>{body}</tbody></table>"
    )
    return text(content, win, env, opts)


def read_file(path, argument):
    """Return the bytes of a file, raising ArgumentError naming the argument if unreadable."""
    try:
        with open(path, "rb") as f:
            return f.read()
    except OSError as exc:
        raise bad_value(argument, "a readable file", f"{path!r} ({exc.strerror})") from exc


def svg(svgstr=None, svgfile=None, win=None, env=None, opts=None):
    """Return the request showing the first <svg ...>...</svg> element of a string or file."""
    if svgfile is not None:
        svgstr = read_file(svgfile, "svgfile").decode("utf-8")
    if svgstr is None:
        raise bad_value("svgstr", "an SVG string (or svgfile)", "None")
    match = re.search("<svg .+</svg>", svgstr, re.DOTALL)
    if match is None:
        raise bad_value("svgstr", "a string containing <svg ...>...</svg>", "no svg element")
    return text(match.group(0), win, env, opts)


def figure_svg(figure):
    """Return the SVG text of a matplotlib figure (anything with savefig)."""
    if not hasattr(figure, "savefig"):
        raise bad_type("plot", "a matplotlib figure (with savefig)", figure)
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg")
    return buffer.getvalue()


def matplot(figure, win=None, env=None, opts=None):
    """Return the request showing a matplotlib figure as SVG, sized like upstream."""
    opts = prepare_opts(opts)
    content = figure_svg(figure)
    height = width = None
    if opts.get("resizable", False):
        content, width, height = _strip_svg_size(content)
    if "height" not in opts:
        found = height or _svg_attribute(content, "height")
        if found is not None:
            opts["height"] = 1.4 * int(math.ceil(float(found)))
    if "width" not in opts:
        found = width or _svg_attribute(content, "width")
        if found is not None:
            opts["width"] = 1.35 * int(math.ceil(float(found)))
    return svg(svgstr=content, win=win, env=env, opts=opts)


def _svg_attribute(content, name):
    match = re.search(name + r'\="([0-9\.]*)pt"', content)
    return match.group(1) if match else None


def _strip_svg_size(content):
    """Remove width/height from the root <svg> tag so it scales with the pane."""
    match = re.search(r"<svg\b[^>]*>", content)
    if match is None:
        return content, None, None
    tag = match.group(0)
    sizes = {}
    for name in ("width", "height"):
        found = re.search(r"\s" + name + r'="([0-9.]+)(?:pt)?"', tag)
        if found:
            sizes[name] = found.group(1)
            tag = tag.replace(found.group(0), "")
    content = content[: match.start()] + tag + content[match.end() :]
    return content, sizes.get("width"), sizes.get("height")


def wav_bytes(samples, rate):
    """Encode a 1-D (mono) or Nx2 (stereo) waveform as 16-bit PCM WAV bytes."""
    peak = np.max(np.abs(samples))
    scaled = samples / peak * 32767 if peak else samples
    pcm = np.asarray(scaled).astype(np.int16)
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1 if pcm.ndim == 1 else 2)
        out.setsampwidth(2)
        out.setframerate(int(rate))
        out.writeframes(pcm.astype("<i2").tobytes())
    return buffer.getvalue()


def _media_type(path, table, argument):
    extension = os.path.splitext(path)[1].lstrip(".").lower()
    if extension not in table:
        raise bad_value(argument, "a file ending in ." + ", .".join(table), repr(path))
    return table[extension]


def audio(tensor=None, audiofile=None, win=None, env=None, opts=None):
    """Return the request showing an audio player for a waveform or an audio file."""
    opts = prepare_opts(opts)
    opts.setdefault("sample_frequency", 44100)
    if tensor is None and audiofile is None:
        raise bad_value("tensor", "a waveform (or audiofile)", "neither")
    if tensor is not None:
        samples = require_numeric(to_array(tensor, "tensor"), "tensor")
        if not (samples.ndim == 1 or (samples.ndim == 2 and samples.shape[1] == 2)):
            raise bad_value("tensor", "a 1-D waveform or an Nx2 stereo array", samples.shape)
        payload, kind = wav_bytes(samples, opts["sample_frequency"]), "wav"
    else:
        kind = _media_type(audiofile, AUDIO_TYPES, "audiofile")
        payload = read_file(audiofile, "audiofile")
    encoded = base64.b64encode(payload).decode("utf-8")
    html = (
        f'<audio controls><source type="audio/{kind}" src="data:audio/{kind};base64,{encoded}">'
        "Your browser does not support the audio tag.</audio>"
    )
    opts["height"] = 80
    opts["width"] = 330
    return text(html + caption_html(opts), win, env, opts)


def encode_video(frames, fps):
    """Encode LxHxWxC frames (BGR or gray) as MP4 bytes; needs the optional PyAV package."""
    try:
        import av
    except ImportError as exc:
        raise ImportError("video(tensor=...) needs PyAV: pip install av") from exc
    if np.issubdtype(frames.dtype, np.floating):
        frames = 255 * frames
    frames = np.clip(frames, 0, 255).astype(np.uint8)
    pixel_format = {1: "gray", 3: "bgr24"}.get(frames.shape[3])
    if pixel_format is None:
        raise bad_value("tensor", "frames with 1 or 3 channels", f"{frames.shape[3]}")
    out = io.BytesIO()
    container = av.open(out, "w", "mp4")
    stream = container.add_stream("h264", rate=fps)
    stream.height, stream.width, stream.pix_fmt = frames.shape[1], frames.shape[2], "yuv420p"
    for frame in frames:
        container.mux(stream.encode(av.VideoFrame.from_ndarray(frame, format=pixel_format)))
    container.mux(stream.encode())
    container.close()
    return out.getvalue()


def video(tensor=None, dim="LxHxWxC", videofile=None, win=None, env=None, opts=None):
    """Return the request showing a video player for frames or a video file."""
    opts = prepare_opts(opts)
    opts.setdefault("fps", 25)
    opts.setdefault("loop", False)
    opts.setdefault("autoplay", False)
    if tensor is None and videofile is None:
        raise bad_value("tensor", "video frames (or videofile)", "neither")
    if tensor is None:
        kind = _media_type(videofile, VIDEO_TYPES, "videofile")
        payload = read_file(videofile, "videofile")
    else:
        frames = to_array(tensor, "tensor")
        if frames.ndim != 4:
            raise bad_value("tensor", "a 4-D array of frames", f"shape {frames.shape}")
        if dim not in ("LxHxWxC", "LxCxHxW"):
            raise bad_value("dim", "'LxHxWxC' or 'LxCxHxW'", repr(dim))
        if dim == "LxCxHxW":
            frames = frames.transpose([0, 2, 3, 1])
        payload, kind = encode_video(frames, opts["fps"]), "mp4"
    flags = " ".join(k for k in ("autoplay", "loop") if opts[k])
    encoded = base64.b64encode(payload).decode("utf-8")
    html = (
        f'<video controls {flags}><source type="video/{kind}" '
        f'src="data:video/{kind};base64,{encoded}">'
        "Your browser does not support the video tag.</video>"
    )
    return text(html + caption_html(opts), win, env, opts)
