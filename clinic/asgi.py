import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clinic.settings.base")
# Files the service writes (SQLite's database, -wal and -shm, cache, media, exports) hold
# patient data: readable by the service's user only, however the process was started.
os.umask(0o077)
application = get_asgi_application()
