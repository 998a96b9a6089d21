import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clinic.settings.base")
# Files the service writes (SQLite's database, -wal and -shm, cache, media, exports) hold
# patient data: readable by the service's user only, however the process was started.
os.umask(0o077)
application = get_wsgi_application()
