"""HTTP views: thin parse -> validate -> store -> broadcast -> answer."""
