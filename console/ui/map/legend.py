"""The layer list: a check box per layer to switch it, and under it every symbol it draws, explained."""

from __future__ import annotations

import pyqtgraph as pg
from pyqtgraph.graphicsItems.ScatterPlotItem import renderSymbol

from console.ui.map.badges import render_badge
from console.ui.map.layer_base import LegendEntry, MapLayer
from console.ui.qt import QIcon, Qt, QtCore, QtGui, QtWidgets, Signal

ICON = 18
MAX_WIDTH = 380  # the legend never takes more of the map than this


def legend_icon(entry: LegendEntry, theme: str) -> QIcon:
    pix = QtGui.QPixmap(ICON, ICON)
    pix.fill(QtCore.Qt.GlobalColor.transparent)
    p = QtGui.QPainter(pix)
    p.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing, True)
    if entry.point is not None:
        s = entry.point
        size = min(ICON - 2, s.size)
        img = renderSymbol(s.symbol, size, pg.mkPen(s.outline_for(theme), width=s.outline_width),
                           pg.mkBrush(s.fill_for(theme)))
        p.drawImage(QtCore.QPointF((ICON - img.width()) / 2, (ICON - img.height()) / 2), img)
        if s.halo:
            p.setPen(QtGui.QPen(QtGui.QColor(s.fill_for(theme)), 1.5))
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawEllipse(QtCore.QPointF(ICON / 2, ICON / 2), ICON / 2 - 1, ICON / 2 - 1)
    elif entry.badge is not None:
        cs, rank = entry.badge
        img = render_badge(cs.fill_for(rank, theme), "", ICON - 2, cs.shape, cs.rim_for(theme))
        p.drawImage(QtCore.QPointF((ICON - img.width()) / 2, (ICON - img.height()) / 2), img)
    elif entry.area is not None:
        fill = QtGui.QColor(entry.area)
        fill.setAlpha(110)
        p.setPen(QtGui.QPen(QtGui.QColor(entry.area), 1.5))
        p.setBrush(fill)
        p.drawRect(QtCore.QRectF(2.5, 3.5, ICON - 5, ICON - 7))
    elif entry.line is not None:
        colour, width = entry.line
        p.setPen(QtGui.QPen(QtGui.QColor(colour), width))
        p.drawLine(QtCore.QPointF(2, ICON / 2), QtCore.QPointF(ICON - 2, ICON / 2))
    p.end()
    return QIcon(pix)


class LayerLegend(QtWidgets.QTreeWidget):
    """Top level: the layers, checkable. Children: the layer's symbols with what they mean."""

    layer_toggled = Signal(str, bool)

    def __init__(self, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.setHeaderHidden(True)
        self.setIconSize(QtCore.QSize(ICON, ICON))
        self.setRootIsDecorated(True)
        self.setObjectName("map_legend")
        # Never elided: a long line wraps (a legend line cut to "Cluster, most urgent co…" is
        # one a commander cannot read)
        self.setWordWrap(True)
        self.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.setUniformRowHeights(False)
        self.header().setStretchLastSection(True)
        self.header().setSectionResizeMode(QtWidgets.QHeaderView.ResizeMode.Stretch)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.itemChanged.connect(self._on_item_changed)
        self._expanded: dict[str, bool] = {}
        self._building = False

    def rebuild(self, layers: list[MapLayer], theme: str) -> None:
        for i in range(self.topLevelItemCount()):
            item = self.topLevelItem(i)
            if item is not None:
                self._expanded[str(item.data(0, Qt.ItemDataRole.UserRole))] = item.isExpanded()
        self._building = True
        try:
            self.clear()
            for layer in layers:
                top = QtWidgets.QTreeWidgetItem([layer.title])
                top.setData(0, Qt.ItemDataRole.UserRole, layer.name)
                top.setFlags(top.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                top.setCheckState(0, Qt.CheckState.Checked if layer.visible else Qt.CheckState.Unchecked)
                for entry in layer.legend():
                    child = QtWidgets.QTreeWidgetItem([entry.text])
                    child.setIcon(0, legend_icon(entry, theme))
                    child.setFlags(child.flags() & ~Qt.ItemFlag.ItemIsSelectable)
                    child.setToolTip(0, entry.tip or entry.text)
                    top.addChild(child)
                self.addTopLevelItem(top)
                top.setExpanded(self._expanded.get(layer.name, True))
        finally:
            self._building = False
        self.setMinimumWidth(self.needed_width())

    def needed_width(self) -> int:
        """Wide enough for every line unelided (up to MAX_WIDTH; beyond it lines wrap)."""
        metrics = self.fontMetrics()
        widest = 0
        for i in range(self.topLevelItemCount()):
            top = self.topLevelItem(i)
            if top is None:
                continue
            widest = max(widest, metrics.horizontalAdvance(top.text(0)) + 24)
            for j in range(top.childCount()):
                child = top.child(j)
                if child is not None:
                    text = metrics.horizontalAdvance(child.text(0))
                    widest = max(widest, text + self.indentation() + ICON + 12)
        scroll = self.verticalScrollBar().sizeHint().width()
        return min(MAX_WIDTH, widest + self.indentation() + scroll + 2 * self.frameWidth() + 8)

    def layer_item(self, name: str) -> QtWidgets.QTreeWidgetItem | None:
        for i in range(self.topLevelItemCount()):
            item = self.topLevelItem(i)
            if item is not None and item.data(0, Qt.ItemDataRole.UserRole) == name:
                return item
        return None

    def set_checked(self, name: str, checked: bool) -> None:
        item = self.layer_item(name)
        if item is not None:
            self._building = True
            item.setCheckState(0, Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
            self._building = False

    def _on_item_changed(self, item: QtWidgets.QTreeWidgetItem, _column: int) -> None:
        if self._building or item.parent() is not None:
            return
        self.layer_toggled.emit(str(item.data(0, Qt.ItemDataRole.UserRole)),
                                item.checkState(0) == Qt.CheckState.Checked)
