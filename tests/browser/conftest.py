"""Browser tests: Debian's Chromium through Playwright (marked ``browser``)."""

from tests.browser.coach_fixtures import chromium, coach_server  # noqa: F401
