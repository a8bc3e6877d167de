"""One widget per module: the panes of the screens of papers."""
