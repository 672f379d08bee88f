"""Where the maps' JavaScript and CSS come from, and how to inline them for offline use.

The maps load Leaflet and two plugins from public CDNs (the URLs folium uses). Each CDN prefix
maps to a directory of an npm package, so the same files can be served from a local
``node_modules`` (browser tests) or inlined into the HTML (``save_map(..., offline=True)``).

Where ``node_modules`` is looked for, first match wins:

1. the ``node_modules`` argument;
2. the ``ROUTEPLAN_NODE_MODULES`` environment variable;
3. ``./node_modules`` and ``./tests/browser/node_modules`` under the working directory.

Install the packages with ``npm ci`` in ``tests/browser`` (``package.json`` pins the versions
below) or ``npm install leaflet@1.9.3 leaflet.markercluster@1.1.0 leaflet.locatecontrol@0.66.2``.
"""

from __future__ import annotations

import base64
import json
import mimetypes
import os
import re
from dataclasses import dataclass
from pathlib import Path

from routeplan.errors import RouteplanError
from routeplan.i18n import _

NODE_MODULES_ENV = "ROUTEPLAN_NODE_MODULES"
"""Environment variable naming the ``node_modules`` directory with the map assets."""


@dataclass(frozen=True)
class CdnPackage:
    """A CDN URL prefix served by a directory of an npm package."""

    prefix: str
    package: str
    version: str
    subdir: str  # directory inside the package that the prefix points at


CDN_PACKAGES: tuple[CdnPackage, ...] = (
    CdnPackage("https://cdn.jsdelivr.net/npm/leaflet@1.9.3/", "leaflet", "1.9.3", ""),
    CdnPackage(
        "https://cdnjs.cloudflare.com/ajax/libs/leaflet.markercluster/1.1.0/",
        "leaflet.markercluster",
        "1.1.0",
        "dist/",
    ),
    CdnPackage(
        "https://cdnjs.cloudflare.com/ajax/libs/leaflet-locatecontrol/0.66.2/",
        "leaflet.locatecontrol",
        "0.66.2",
        "dist/",
    ),
)
"""CDN prefixes the maps load from and the npm package (and version) holding the same files."""

LEAFLET_JS = ("leaflet", "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.js")
LEAFLET_CSS = ("leaflet_css", "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.css")

TILE_HOSTS: tuple[str, ...] = ("tile.openstreetmap.org",)
"""Hosts of map tiles: the only external requests a map makes besides its CDN assets."""

_SCRIPT_RE = re.compile(r'<script\s+src="(https?://[^"]+)"\s*>\s*</script>')
_CSS_RE = re.compile(r'<link\s+rel="stylesheet"\s+href="(https?://[^"]+)"\s*/?>')
_CSS_URL_RE = re.compile(r"url\(\s*(['\"]?)([^)'\"]+)\1\s*\)")


def find_node_modules(node_modules: Path | None = None) -> Path | None:
    """Find the ``node_modules`` directory holding the map assets.

    Parameters
    ----------
    node_modules
        Explicit directory; checked first.

    Returns
    -------
    Path or None
        The first existing candidate (argument, ``$ROUTEPLAN_NODE_MODULES``, ``./node_modules``,
        ``./tests/browser/node_modules``).

    """
    candidates: list[Path] = []
    if node_modules is not None:
        candidates.append(Path(node_modules))
    env = os.environ.get(NODE_MODULES_ENV)
    if env:
        candidates.append(Path(env))
    candidates += [Path("node_modules"), Path("tests/browser/node_modules")]
    for candidate in candidates:
        if (candidate / "leaflet" / "package.json").is_file():
            return candidate
    return None


def local_asset(url: str, node_modules: Path) -> Path | None:
    """Local file serving a CDN ``url``, or None when the URL is not a known CDN asset.

    Parameters
    ----------
    url
        Absolute URL as written in the map's HTML (query and fragment are ignored).
    node_modules
        Directory with the npm packages.

    Returns
    -------
    Path or None
        The file, or None for unknown URLs.

    Raises
    ------
    RouteplanError
        When the URL is known but its package is missing or has another version.

    """
    bare = url.split("#", 1)[0].split("?", 1)[0]
    for cdn in CDN_PACKAGES:
        if not bare.startswith(cdn.prefix):
            continue
        package_dir = node_modules / cdn.package
        manifest = package_dir / "package.json"
        install = f"npm install {cdn.package}@{cdn.version}"
        if not manifest.is_file():
            raise RouteplanError(
                _(
                    "{package} is not installed in {folder} (needed for {url}).",
                    package=cdn.package,
                    folder=node_modules,
                    url=url,
                ),
                hint=_("run `npm ci` in tests/browser or `{install}`", install=install),
            )
        version = json.loads(manifest.read_text(encoding="utf-8")).get("version")
        if version != cdn.version:
            raise RouteplanError(
                _(
                    "{manifest} has version {version}, the maps load {wanted}.",
                    manifest=manifest,
                    version=version,
                    wanted=cdn.version,
                ),
                hint=_("run `{install}`", install=install),
            )
        path = (package_dir / cdn.subdir / bare[len(cdn.prefix) :]).resolve()
        if package_dir.resolve() not in path.parents or not path.is_file():
            raise RouteplanError(
                _(
                    "{url} has no file in {folder} (looked for {path}).",
                    url=url,
                    folder=package_dir,
                    path=path,
                ),
                hint=_("reinstall with `{install}`", install=install),
            )
        return path
    return None


def is_tile_url(url: str) -> bool:
    """Whether ``url`` is a map tile request (these may fail offline)."""
    host = url.split("://", 1)[-1].split("/", 1)[0]
    return any(host == h or host.endswith("." + h) for h in TILE_HOSTS)


def _data_uri(path: Path) -> str:
    mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return f"data:{mime};base64,{base64.b64encode(path.read_bytes()).decode('ascii')}"


def _inline_css(path: Path) -> str:
    """CSS text with relative ``url(...)`` references turned into data URIs."""
    text = path.read_text(encoding="utf-8")

    def replace(match: re.Match[str]) -> str:
        ref = match.group(2)
        if ref.startswith(("data:", "#", "http:", "https:", "/")):
            return match.group(0)
        target = (path.parent / ref.split("?", 1)[0]).resolve()
        if not target.is_file():
            return match.group(0)
        return f'url("{_data_uri(target)}")'

    text = _CSS_URL_RE.sub(replace, text)
    return re.sub(r"/\*# sourceMappingURL=.*?\*/", "", text)


def _default_icon_fix(path: Path) -> str:
    """Point Leaflet's default marker icon at data URIs once leaflet.js is inlined.

    Leaflet finds its marker images through the CSS of ``.leaflet-default-icon-path``; with
    inlined CSS that path is a data URI and the lookup breaks, so set the URLs directly.
    """
    images = path.parent / "images"
    if path.name != "leaflet.js" or not images.is_dir():
        return ""
    urls = {
        "iconUrl": _data_uri(images / "marker-icon.png"),
        "iconRetinaUrl": _data_uri(images / "marker-icon-2x.png"),
        "shadowUrl": _data_uri(images / "marker-shadow.png"),
    }
    return f"\nL.Icon.Default.imagePath = '';\nL.Icon.Default.mergeOptions({json.dumps(urls)});"


def inline_assets(page: str, *, node_modules: Path) -> str:
    """Replace CDN ``<script src>`` and stylesheet links by the files' contents.

    Parameters
    ----------
    page
        Rendered HTML of a map.
    node_modules
        Directory with the npm packages listed in :data:`CDN_PACKAGES`.

    Returns
    -------
    str
        Self-contained HTML: only tile requests remain external.

    Raises
    ------
    RouteplanError
        When the page loads a script or stylesheet that no local package provides.

    """
    unknown: list[str] = []

    def script(match: re.Match[str]) -> str:
        path = local_asset(match.group(1), node_modules)
        if path is None:
            unknown.append(match.group(1))
            return match.group(0)
        code = path.read_text(encoding="utf-8")
        code = re.sub(r"//# sourceMappingURL=\S+", "", code).replace("</script", "<\\/script")
        code += _default_icon_fix(path)
        return f"<script>/* {match.group(1)} */\n{code}\n</script>"

    def stylesheet(match: re.Match[str]) -> str:
        path = local_asset(match.group(1), node_modules)
        if path is None:
            unknown.append(match.group(1))
            return match.group(0)
        return f"<style>/* {match.group(1)} */\n{_inline_css(path)}\n</style>"

    page = _SCRIPT_RE.sub(script, page)
    page = _CSS_RE.sub(stylesheet, page)
    if unknown:
        raise RouteplanError(
            f"cannot inline {len(unknown)} asset(s) for offline use: {', '.join(unknown)}.",
            hint="add their npm package to map_assets.CDN_PACKAGES and tests/browser/package.json",
        )
    return page
