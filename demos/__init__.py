"""Runnable demos: backprop worked by hand and by the engine, then training (``python -m demos``)."""
