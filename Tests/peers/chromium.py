"""Headless Chromium through selenium, for the pages herald serves and the feeds shown
as pages: the machine's chromium and chromedriver (scripts/bootstrap installs them)."""
import shutil

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")


def start():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1024,900"):
        options.add_argument(arg)
    # The machine's chromedriver, never one Selenium Manager would download.
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(20)
    # A click that submits a form returns before the next page has loaded: lookups wait for it.
    driver.implicitly_wait(10)
    return driver


def screenshots(driver, directory, stem):
    """The page at a phone's and a desktop's width; neither may scroll sideways.
    Returns the PNG files."""
    directory.mkdir(exist_ok=True)
    shots = []
    for width in (375, 1024):
        driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                               {"width": width, "height": 900, "deviceScaleFactor": 1, "mobile": width < 500})
        scroll, client = driver.execute_script(
            "return [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
        assert scroll <= client, f"{stem} scrolls sideways at {width}px: {scroll} > {client}"
        shot = directory / f"{stem}-{width}.png"
        driver.save_screenshot(str(shot))
        assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        shots.append(shot)
    driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    return shots
