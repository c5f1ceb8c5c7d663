// Line charts on uPlot: log-log axes (chip counts and days span decades), theme colours read
// from CSS, marked points (the current scenario, or a match's equal-time, power and cost points)
// drawn on the canvas with their labels, PNG export with title and legend (uPlot's legend is
// HTML, not on the canvas, so the export draws its own, marked points included).
import uPlot from "uplot";

/** `colour` is a CSS variable name, so a series keeps its colour whatever else is drawn; `bold` draws it wider. */
export interface Series {
  label: string;
  values: (number | null)[];
  colour: string;
  scale?: "y" | "y2";
  dash?: boolean;
  bold?: boolean;
  /** Points without a line (things placed on a chart, not a curve). */
  pointsOnly?: boolean;
  /** Draw the line across null values (a curve sampled on other series' x too). */
  spanGaps?: boolean;
}

/** A marked point: a ring at (x, y) on the y scale, with a short label beside it when given. */
export interface Marker {
  x: number;
  y: number;
  label?: string;
  colour?: string;
}

export interface ChartSpec {
  title: string;
  xLabel: string;
  yLabel: string;
  y2Label?: string;
  height?: number;
}

const css = (name: string) =>
  getComputedStyle(document.documentElement).getPropertyValue(name).trim() || "#888";

export class LineChart {
  private plot: uPlot | undefined;
  private data: { x: number[]; series: Series[] } = { x: [], series: [] };
  private markers: Marker[] = [];
  private readonly resize = new ResizeObserver(() => this.plot?.setSize(this.size()));

  constructor(
    private readonly el: HTMLElement,
    private readonly spec: ChartSpec,
  ) {
    this.resize.observe(el);
    el.setAttribute("role", "img");
    this.describe();
  }

  /** A text alternative for the canvas: what is plotted and where the marked point is. */
  private describe(): void {
    const what = `${this.spec.yLabel}${this.spec.y2Label ? ` and ${this.spec.y2Label}` : ""} against ${this.spec.xLabel}, log-log`;
    const series = this.data.series.length
      ? `: ${this.data.series.map((s) => s.label).join(", ")}`
      : " (computing)";
    const mark = this.markers
      .map(
        (m) =>
          `; marked${m.label ? ` ${m.label}` : ""}: ${Math.round(m.x).toLocaleString("en-US")} ${this.spec.xLabel}, ${+m.y.toPrecision(3)} ${this.spec.yLabel}`,
      )
      .join("");
    this.el.setAttribute("aria-label", `${what}${series}${mark}`);
  }

  setData(x: number[], series: Series[]): void {
    this.data = { x, series };
    this.describe();
    this.rebuild();
  }

  /** Marks one point (the current scenario); redraws without rebuilding. */
  setMarker(x: number, y: number | null): void {
    this.setMarkers(y === null ? [] : [{ x, y }]);
  }

  /** Marks points, each with its label; redraws without rebuilding. */
  setMarkers(markers: Marker[]): void {
    this.markers = markers.filter((m) => m.x > 0 && m.y > 0);
    this.el.dataset.marker = this.markers.map((m) => `${m.x},${m.y}`).join(";");
    this.el.dataset.markers = this.markers.map((m) => m.label ?? "").join("|");
    this.describe();
    this.plot?.redraw(false, false);
  }

  /** Nothing drawn, a one-line note instead: curves of an earlier scenario must not pass for this one's. */
  clear(note: string): void {
    this.data = { x: [], series: [] };
    this.markers = [];
    this.rebuild();
    const p = document.createElement("p");
    p.className = "chart-note";
    p.textContent = note;
    this.el.append(p);
    this.el.setAttribute("aria-label", note);
  }

  /** Rebuilds with the current theme's colours. */
  rebuild(): void {
    this.plot?.destroy();
    this.plot = undefined;
    this.el.querySelector(".chart-note")?.remove();
    this.el.dataset.points = "0";
    this.el.dataset.series = "";
    if (this.data.x.length === 0) return;
    const text = css("--text"),
      grid = css("--line");
    const axis = (label: string, scale = "y", side?: 1): uPlot.Axis => ({
      scale,
      ...(side === undefined ? {} : { side }),
      label,
      stroke: text,
      grid: { stroke: grid, width: 1, show: scale === "y" || scale === "x" },
      ticks: { stroke: grid },
      values: (_u, vals) => vals.map((v) => (v == null ? "" : compactTick(v))),
    });
    const opts: uPlot.Options = {
      title: this.spec.title,
      ...this.size(),
      scales: { x: { time: false, distr: 3 }, y: { distr: 3 }, y2: { distr: 3 } },
      axes: [
        axis(this.spec.xLabel, "x"),
        axis(this.spec.yLabel),
        ...(this.spec.y2Label ? [axis(this.spec.y2Label, "y2", 1)] : []),
      ],
      series: [
        { label: this.spec.xLabel, value: (_u, v) => (v == null ? "–" : compactTick(v)) },
        ...this.data.series.map((s): uPlot.Series => ({
          label: s.label,
          scale: s.scale ?? "y",
          stroke: css(s.colour),
          width: s.bold ? 3 : 2,
          dash: s.dash ? [6, 4] : undefined,
          points: { show: true, size: s.pointsOnly ? 9 : 4 },
          ...(s.pointsOnly ? { paths: () => null } : {}),
          ...(s.spanGaps ? { spanGaps: true } : {}),
          value: (_u, v) => (v == null ? "–" : compactTick(v)),
        })),
      ],
      legend: { live: true },
      hooks: { draw: [(u) => this.drawMarker(u), (u) => this.recordTicks(u)] },
    };
    this.plot = new uPlot(
      opts,
      [this.data.x, ...this.data.series.map((s) => s.values)] as uPlot.AlignedData,
      this.el,
    );
    this.el.dataset.points = String(this.data.x.length * this.data.series.length);
    this.el.dataset.series = this.data.series.map((s) => s.label).join("|");
    this.el.dataset.colours = this.data.series.map((s) => s.colour).join("|");
  }

  /** The chart on the page background under a title and a legend of its series, as a PNG. */
  png(title: string): Promise<Blob | null> {
    const src = this.plot?.ctx.canvas;
    if (!src) return Promise.resolve(null);
    const px = src.width / Math.max(1, this.plot!.width); // canvas pixels per CSS pixel
    const font = (size: number, weight = "") => `${weight} ${size * px}px system-ui, sans-serif`;
    const out = document.createElement("canvas");
    const ctx = out.getContext("2d")!;
    // Legend entries flow left to right, wrapping; measured first to size the canvas.
    ctx.font = font(12);
    const pad = 12 * px,
      swatch = 22 * px,
      gap = 16 * px,
      row = 18 * px,
      top = 30 * px;
    const items: { s: Series; x: number; y: number }[] = [];
    let x = pad,
      y = top;
    for (const s of this.data.series) {
      const w = swatch + 6 * px + ctx.measureText(s.label).width;
      if (x + w > src.width - pad && x > pad) {
        x = pad;
        y += row;
      }
      items.push({ s, x, y });
      x += w + gap;
    }
    // Marked points get a legend line each: the canvas shows their rings and short labels.
    const marks = this.markers.map((m) => ({
      m,
      text: `${m.label ?? "marked"}: ${compactTick(m.x)} ${this.spec.xLabel}, ${compactTick(m.y)} ${this.spec.yLabel}`,
      y: (y += row),
    }));
    const head = y + row;
    out.width = src.width;
    out.height = src.height + head;
    ctx.fillStyle = css("--panel");
    ctx.fillRect(0, 0, out.width, out.height);
    ctx.fillStyle = css("--text");
    ctx.textBaseline = "middle";
    ctx.font = font(15, "600");
    ctx.fillText(title, pad, 14 * px);
    ctx.font = font(12);
    for (const { s, x: ix, y: iy } of items) {
      ctx.strokeStyle = css(s.colour);
      ctx.lineWidth = (s.bold ? 3 : 2) * px;
      ctx.setLineDash(s.dash ? [6 * px, 4 * px] : []);
      ctx.beginPath();
      ctx.moveTo(ix, iy);
      ctx.lineTo(ix + swatch, iy);
      ctx.stroke();
      ctx.fillText(s.label, ix + swatch + 6 * px, iy);
    }
    for (const { m, text, y: my } of marks) {
      ctx.setLineDash([]);
      ctx.strokeStyle = css(m.colour ?? "--text");
      ctx.lineWidth = 2 * px;
      ctx.beginPath();
      ctx.arc(pad + swatch / 2, my, 5 * px, 0, 2 * Math.PI);
      ctx.stroke();
      ctx.fillText(text, pad + swatch + 6 * px, my);
    }
    ctx.drawImage(src, 0, head);
    return new Promise((resolve) => out.toBlob(resolve, "image/png"));
  }

  /**
   * Rings and their labels. Each label takes the first place beside its ring (right, left; above,
   * below; then further up or down; then those slid sideways into the plot) that overlaps no label
   * already drawn and stays in the plot;
   * the boxes drawn are left in data-label-boxes (CSS px) for tests.
   */
  private drawMarker(u: uPlot): void {
    const ctx = u.ctx;
    const px = devicePixelRatio;
    const placed: [number, number, number, number][] = [];
    const clear = (b: [number, number, number, number]) =>
      placed.every((p) => b[0] >= p[2] || b[2] <= p[0] || b[1] >= p[3] || b[3] <= p[1]);
    const inside = (b: [number, number, number, number]) =>
      b[0] >= u.bbox.left &&
      b[2] <= u.bbox.left + u.bbox.width &&
      b[1] >= u.bbox.top &&
      b[3] <= u.bbox.top + u.bbox.height;
    for (const m of this.markers) {
      const x = u.valToPos(m.x, "x", true),
        y = u.valToPos(m.y, "y", true);
      ctx.save();
      ctx.beginPath();
      ctx.arc(x, y, 7 * px, 0, 2 * Math.PI);
      ctx.lineWidth = 3 * px;
      ctx.strokeStyle = css(m.colour ?? "--text");
      ctx.stroke();
      if (m.label) {
        ctx.fillStyle = css(m.colour ?? "--text");
        ctx.font = `${12 * px}px system-ui, sans-serif`;
        ctx.textBaseline = "bottom";
        // uPlot leaves the context right-aligned after a left axis: the boxes below start at x.
        ctx.textAlign = "left";
        const w = ctx.measureText(m.label).width,
          hgt = 15 * px;
        const spots: [number, number][] = [];
        for (let k = 0; k < 8; k++)
          for (const dy of [-4 * px - k * hgt, 4 * px + hgt + k * hgt])
            spots.push([x + 9 * px, y + dy], [x - 9 * px - w, y + dy]);
        // Then the same rows slid sideways into the plot: a label never covers an axis's numbers.
        const lo = u.bbox.left,
          hi = u.bbox.left + u.bbox.width - w;
        spots.push(
          ...spots.map(([lx, ly]): [number, number] => [Math.max(lo, Math.min(hi, lx)), ly]),
        );
        const boxOf = ([lx, ly]: [number, number]): [number, number, number, number] => [
          lx,
          ly - hgt,
          lx + w,
          ly,
        ];
        const spot =
          spots.find((p) => clear(boxOf(p)) && inside(boxOf(p))) ??
          spots.find((p) => clear(boxOf(p))) ??
          spots[0];
        placed.push(boxOf(spot));
        ctx.fillText(m.label, spot[0], spot[1]);
      }
      ctx.restore();
    }
    this.el.dataset.labelBoxes = JSON.stringify(
      placed.map((b) => b.map((v) => Math.round(v / px))),
    );
  }

  /**
   * The y axes' tick labels as uPlot drew them, for tests: data-y-ticks holds each axis's own
   * strip [left, right] and its labels [text, left, top, right, bottom], in CSS px of the canvas.
   */
  private recordTicks(u: uPlot): void {
    const px = devicePixelRatio;
    type Box = [string, number, number, number, number];
    const out: { strip: [number, number]; ticks: Box[] }[] = [];
    for (const a of u.axes as DrawnAxis[]) {
      if (a.scale === "x" || !a._values || !a._splits || a._pos === undefined) continue;
      const right = a.side === 1; // else left (side 3): labels right-aligned against the ticks
      const strip: [number, number] = right
        ? [a._pos, a._pos + a._size!]
        : [a._pos - a._size!, a._pos];
      // Where uPlot's drawAxesGrid puts the labels: past the ticks and the gap.
      const edge = right ? strip[0] + a.ticks!.size! + a.gap! : strip[1] - a.ticks!.size! - a.gap!;
      u.ctx.save();
      u.ctx.font = a.font![0];
      const ticks = a._values.flatMap((t, k): Box[] => {
        if (t === null || t === "") return [];
        const y = u.bbox.top / px + u.valToPos(a._splits![k], a.scale!);
        const w = u.ctx.measureText(t).width / px,
          half = a.font![2] / 2;
        const [l, r] = right ? [edge, edge + w] : [edge - w, edge];
        return [[t, Math.round(l), Math.round(y - half), Math.round(r), Math.round(y + half)]];
      });
      u.ctx.restore();
      out.push({ strip, ticks });
    }
    this.el.dataset.yTicks = JSON.stringify(out);
  }

  private size(): { width: number; height: number } {
    return { width: Math.max(260, this.el.clientWidth), height: this.spec.height ?? 300 };
  }
}

/** What uPlot keeps on an axis once drawn (not in its types): the strings and splits it drew, where. */
type DrawnAxis = Omit<uPlot.Axis, "font"> & {
  _values?: (string | null)[];
  _splits?: number[];
  _pos?: number;
  _size?: number;
  /** [CSS font scaled to the canvas, canvas px, CSS px]. */
  font?: [string, number, number];
};

function compactTick(v: number): string {
  const a = Math.abs(v);
  if (a >= 1e6) return `${+(v / 1e6).toPrecision(3)}M`;
  if (a >= 1e3) return `${+(v / 1e3).toPrecision(3)}k`;
  return `${+v.toPrecision(3)}`;
}
