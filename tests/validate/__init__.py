"""Specification tests of the independent validator, one file per hard rule of the format."""
