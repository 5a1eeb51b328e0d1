"""The point layers whose legend says more than one line per style: units (shape = type, colour =
status), polling stations (shape = kind, colour = state) and incidents (112 code, clusters)."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from console.domain.units import UnitStatus, UnitType
from console.ui.labels import label
from console.ui.map.layer_base import LegendEntry
from console.ui.map.point_layer import PointLayer
from console.ui.map.style import (
    CLOSED_RANK,
    INCIDENT_STYLES,
    POLLING_STATES,
    POLLING_STYLES,
    UNIT_COLOURS,
    UNIT_SYMBOLS,
    PointStyle,
)
from console.ui.qt import QtCore


class UnitLayer(PointLayer):
    """Units: the legend explains shapes (type) and colours (status) apart, not 40 combinations."""

    def legend(self) -> list[LegendEntry]:
        neutral = ("#dee2e6", "#495057")
        out = [LegendEntry(label(t), point=PointStyle(t, label(t), UNIT_SYMBOLS[t], 11, neutral,
                                                      ("#000000", "#000000"), translated=True))
               for t in UnitType]
        out += [LegendEntry(label(s), point=PointStyle(s, label(s), "o", 10, UNIT_COLOURS[s],
                                                       ("#000000", "#000000"), translated=True))
                for s in UnitStatus]
        if self.clustering and self.cluster_style is not None:
            out.append(LegendEntry(
                QtCore.QCoreApplication.translate("MapLegend", "Cluster of units"),
                badge=(self.cluster_style, 0), tip=QtCore.QCoreApplication.translate(
                    "MapLegend", "Zoomed out, the units near each other are drawn as one square with their "
                                 "number. Click it or zoom in to split it.")))
        return out

    def cluster_groups(self, members: npt.NDArray[np.int64]) -> list[tuple[str, int]]:
        """By status (type x status would be forty lines)."""
        counts: dict[str, int] = {}
        for key in (self.state.keys[k] for k in self.state.style_idx[members]):
            status = key.partition(":")[2]
            counts[status] = counts.get(status, 0) + 1
        return [(label(s), counts[s.value]) for s in UnitStatus if s.value in counts]


class PollingLayer(PointLayer):
    """Polling stations: the legend explains the two shapes and the four colours apart."""

    def legend(self) -> list[LegendEntry]:
        neutral = ("#dee2e6", "#495057")
        edge = ("#000000", "#000000")
        out = [LegendEntry(QtCore.QCoreApplication.translate("MapLegend", "Election-day polling station"),
                           point=PointStyle("ed", "", "o", 8, neutral, edge, translated=True)),
               LegendEntry(QtCore.QCoreApplication.translate("MapLegend", "Early-voting station"),
                           point=PointStyle("ev", "", "s", 8, neutral, edge, translated=True))]
        for state in POLLING_STATES[::-1]:
            style = POLLING_STYLES[f"election_day:{state}"]
            text = QtCore.QCoreApplication.translate("MapLegend", style.text.split("|")[1])
            out.append(LegendEntry(text[:1].upper() + text[1:], point=PointStyle(
                state, text, "o", 8, style.fill, edge, translated=True)))
        return out + self.cluster_legend()

    def cluster_legend(self) -> list[LegendEntry]:
        if not self.clustering or self.cluster_style is None:
            return []
        # (QCoreApplication.translate spelled out: lupdate does not follow an alias)
        text = QtCore.QCoreApplication.translate("MapLegend", "Cluster of polling stations")
        tip = QtCore.QCoreApplication.translate(
            "MapLegend", "Zoomed out, the polling stations near each other are drawn as one square with "
                         "their number. Click it or zoom in to split it.")
        return [LegendEntry(text, badge=(self.cluster_style, 0), tip=tip)]


class IncidentLayer(PointLayer):
    def legend(self) -> list[LegendEntry]:
        out = [LegendEntry(s.legend_text(), point=s)
               for k, s in INCIDENT_STYLES.items() if k.endswith(":open")]
        closed = INCIDENT_STYLES["2:closed"]
        out.append(LegendEntry(QtCore.QCoreApplication.translate("MapLegend", "Resolved or closed"),
                               point=closed))
        return out + self.cluster_legend()

    def cluster_legend(self) -> list[LegendEntry]:
        cs = self.cluster_style
        if not self.clustering or cs is None:
            return []
        tip = QtCore.QCoreApplication.translate(
            "MapLegend", "Zoomed out, the incidents near each other are drawn as one circle with their "
                         "number, in the colour of the most urgent open code among them. Click it or zoom "
                         "in to split it.")
        urgent_tip = QtCore.QCoreApplication.translate(
            "MapLegend", "An open code 0 or 1 incident is drawn on its own and pulses at every zoom, over "
                         "the cluster that counts it.")
        return [
            LegendEntry(QtCore.QCoreApplication.translate("MapLegend", "Cluster, most urgent code"),
                        badge=(cs, 0), tip=tip),
            LegendEntry(QtCore.QCoreApplication.translate("MapLegend", "Cluster, all closed"),
                        badge=(cs, CLOSED_RANK), tip=tip),
            LegendEntry(QtCore.QCoreApplication.translate("MapLegend", "Code 0 and 1: always shown"),
                        point=INCIDENT_STYLES["0:open"], tip=urgent_tip),
        ]
