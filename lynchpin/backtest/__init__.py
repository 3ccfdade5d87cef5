"""Calibration on 2015-2019 and the 2020-2024 backtest against the shipped observed record."""
