"""``plotwise bench``: measured figures for the paths Plotwise adds around the model."""
