"""Headless Chromium for the board's browser tests and benchmark: the Debian packages
`chromium` and `chromium-driver` through selenium, with a fresh profile and no network
services of its own (no updates, sync, QUIC or background requests)."""

from __future__ import annotations

import shutil
import tempfile
import time
from pathlib import Path

CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")
DRIVER_CANDIDATES = ("/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver")
APT_LINE = "apt-get install -y chromium chromium-driver"


def find_chromium() -> tuple[str, str] | None:
    """(browser, driver) paths, or None when either is missing."""
    browser = next((p for p in CHROMIUM_CANDIDATES if Path(p).exists()), None) or shutil.which("chromium")
    driver = next((p for p in DRIVER_CANDIDATES if Path(p).exists()), None) or shutil.which("chromedriver")
    return (browser, driver) if browser and driver else None


def start_chromium(width: int = 1366, height: int = 900, language: str = "sv-SE"):
    """A headless Chromium driven by selenium; the caller quits it (and removes ``driver.profile_dir``)."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    found = find_chromium()
    if found is None:
        raise RuntimeError(f"Chromium and its driver are not installed: {APT_LINE}")
    browser, driver_path = found
    profile = tempfile.mkdtemp(prefix="board-chromium-")
    opts = webdriver.ChromeOptions()
    opts.binary_location = browser
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--disable-extensions", f"--user-data-dir={profile}",
                f"--window-size={width},{height}", f"--lang={language}"):
        opts.add_argument(arg)
    opts.add_experimental_option("prefs", {"intl.accept_languages": language})
    driver = webdriver.Chrome(service=Service(driver_path), options=opts)
    driver.set_page_load_timeout(30)
    driver.profile_dir = profile
    return driver


def stop_chromium(driver) -> None:
    try:
        driver.quit()
    finally:
        shutil.rmtree(getattr(driver, "profile_dir", ""), ignore_errors=True)


def wait_for(driver, script: str, timeout: float = 20.0, interval: float = 0.1):
    """Poll a JavaScript expression until it is truthy; return its value (AssertionError on timeout)."""
    deadline = time.monotonic() + timeout
    value = None
    while time.monotonic() < deadline:
        value = driver.execute_script(f"return ({script});")
        if value:
            return value
        time.sleep(interval)
    logs = driver.execute_script("return document.getElementById('status') && document.getElementById('status').textContent")
    raise AssertionError(f"timed out after {timeout} s waiting for {script!r} (status line: {logs!r})")


def open_page(driver, base: str, path: str, token: str | None = None, timeout: float = 20.0) -> None:
    """Open a board page (with the token in the link's fragment) and wait until its script is done."""
    driver.get(base + path + (f"#token={token}" if token else ""))
    wait_for(driver, "document.body && document.body.dataset.ready === '1'", timeout)
