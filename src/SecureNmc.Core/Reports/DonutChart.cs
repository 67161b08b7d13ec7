using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace SecureNmc.Core.Reports
{
    /// <summary>A donut of shares with a legend and a caption in the middle (e.g. "75%").</summary>
    internal static class DonutChart
    {
        private const double Width = 420, Height = 180, Cx = 90, Cy = 90, Radius = 66, Thickness = 24;

        public sealed class Slice
        {
            public Slice(string label, int count, string tone) { Label = label; Count = count; Tone = tone; }
            public string Label { get; }
            public int Count { get; }
            public string Tone { get; }
        }

        public static string Render(string id, string title, IReadOnlyList<Slice> slices, string caption)
        {
            var svg = new SvgCanvas(id, title, Width, Height);
            var total = slices.Sum(s => s.Count);
            var circumference = 2 * Math.PI * Radius;
            svg.Circle(Cx, Cy, Radius, "donut-track", null, $"stroke-width=\"{Markup.Number(Thickness)}\"");
            double offset = 0;
            foreach (var s in slices.Where(s => s.Count > 0))
            {
                var length = circumference * s.Count / total;
                // Each slice is the same circle with one dash; rotated so the first slice starts at 12 o'clock.
                svg.Circle(Cx, Cy, Radius, "donut-slice " + s.Tone, $"{s.Label}: {s.Count}",
                    $"stroke-width=\"{Markup.Number(Thickness)}\" stroke-dasharray=\"{Num(length)} {Num(circumference - length)}\" " +
                    $"stroke-dashoffset=\"{Num(-offset)}\" transform=\"rotate(-90 {Markup.Number(Cx)} {Markup.Number(Cy)})\"");
                offset += length;
            }
            svg.Text(Cx, Cy + 8, caption, "donut-caption", "middle");
            double y = 30;
            foreach (var s in slices)
            {
                svg.Rect(200, y - 11, 14, 14, "legend " + s.Tone);
                svg.Text(222, y, $"{BarChart.Shorten(s.Label)}: {s.Count.ToString(CultureInfo.InvariantCulture)}", "label");
                y += 24;
            }
            return svg.ToString();
        }

        private static string Num(double v) => v.ToString("0.###", CultureInfo.InvariantCulture);
    }
}
