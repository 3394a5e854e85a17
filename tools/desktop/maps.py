"""Maps: a place or a route as an OpenStreetMap link, opened for the user.

Opening something on the user's screen is a side effect: the approver is
shown the URL that will open."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal
from urllib.parse import urlencode

from agentc.tools.tool import Tool, tool

if TYPE_CHECKING:
    from agentc.tools.desktop.toolkit import Desk

_ENGINES = {"driving": "fossgis_osrm_car", "walking": "fossgis_osrm_foot", "cycling": "fossgis_osrm_bike"}


def location_url(place: str) -> str:
    return "https://www.openstreetmap.org/search?" + urlencode({"query": place})


def directions_url(origin: str, destination: str, mode: str) -> str:
    return "https://www.openstreetmap.org/directions?" + urlencode(
        {"engine": _ENGINES[mode], "from": origin, "to": destination}
    )


def map_tools(desk: "Desk") -> list[Tool]:
    @tool(side_effects=True, preview=lambda place: {"opens": location_url(place)})
    def open_location(place: str) -> str:
        """Show a place on the map.

        Args:
            place: an address or a place name, e.g. "Golden Gate Bridge"
        """
        url = location_url(place)
        desk.backend.open(url)
        return url

    def directions_preview(destination: str, origin: str, mode: str) -> dict[str, Any]:
        return {"opens": directions_url(origin, destination, mode)}

    @tool(side_effects=True, preview=directions_preview)
    def get_directions(destination: str, origin: str = "", mode: Literal["driving", "walking", "cycling"] = "driving") -> str:
        """Show the route to a place on the map.

        Args:
            destination: where to go
            origin: where from; empty for the current location
            mode: how to travel
        """
        url = directions_url(origin, destination, mode)
        desk.backend.open(url)
        return url

    return [open_location, get_directions]
