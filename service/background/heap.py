"""Long-lived processes take their start-up heap out of the garbage collector's walks.

Python's cyclic collector now and then walks every container object it tracks, holding
the GIL: with the model loaded that is about 460,000 objects and 270 ms (70 ms for the
web app alone, measured on the 2-core machine), during which no request in the process
moves. Those objects (modules, the app, torch and transformers) live as long as the
process, so walking them finds nothing. gc.freeze() moves everything that exists now
into a permanent generation the collector skips; later garbage is collected as before.
Called once the process has built what it keeps: the app (wsgi.py) and the model
(the scoring worker's loop); not in create_app, because tests build many short-lived
apps that must stay collectable.
"""

import gc


def freeze_startup_objects():
    gc.collect()  # what is already garbage goes now, rather than living on frozen
    gc.freeze()
