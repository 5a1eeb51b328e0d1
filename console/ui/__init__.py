"""The console's Qt user interface: main window, dock panels, models, dialogs, theme, translations."""
