"""keyproj — 重点项目督办平台, the city key-project supervision platform."""

__version__ = "0.1.0"
