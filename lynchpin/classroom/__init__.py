"""Participatory mode (`lynchpin classroom`): student teams govern the actors of one shared
simulation from their own devices, a year a turn, like NetLogo's HubNet with a model behind it."""
