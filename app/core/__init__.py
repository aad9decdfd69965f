"""The core's write machinery: the unit of work every change goes through."""
