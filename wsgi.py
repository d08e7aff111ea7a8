"""What gunicorn serves: `gunicorn wsgi:app`."""

from service import create_app
from service.background.heap import freeze_startup_objects

app = create_app()
freeze_startup_objects()  # the app lives as long as the process: keep it out of GC walks
