"""The interactive dashboard (`lynchpin dashboard`): Mesa's SolaraViz around a LynchpinModel.

Importing this package does not import solara; `app` does, and `serve` sets the offline
environment solara must see first.
"""
