using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace SecureNmc.Core.Reports
{
    /// <summary>An update run over time: cards finished and cards updated (step lines) against time since the run started.</summary>
    internal static class ProgressLineChart
    {
        private const double Width = 1120, Height = 260, Left = 48, Right = 18, Top = 16, Bottom = 40;

        public static string Render(string id, string title, IReadOnlyList<ReportProgressPoint> points, int cards)
        {
            var svg = new SvgCanvas(id, title, Width, Height, wide: true);
            var plotW = Width - Left - Right;
            var plotH = Height - Top - Bottom;
            var maxSeconds = Math.Max(1, points.Count == 0 ? 1 : points.Max(p => p.Elapsed.TotalSeconds));
            var maxCards = Math.Max(1, cards);
            double X(double seconds) => Left + plotW * seconds / maxSeconds;
            double Y(double count) => Top + plotH - plotH * count / maxCards;

            foreach (var n in CardTicks(maxCards))
            {
                svg.Line(Left, Y(n), Left + plotW, Y(n), "gridline");
                svg.Text(Left - 6, Y(n) + 4, n.ToString(CultureInfo.InvariantCulture), "axis", "end");
            }
            for (int i = 0; i <= 4; i++)
            {
                var s = maxSeconds * i / 4;
                svg.Line(X(s), Top + plotH, X(s), Top + plotH + 4, "axis-line");
                svg.Text(X(s), Top + plotH + 18, Duration(s), "axis", "middle");
            }
            svg.Line(Left, Top + plotH, Left + plotW, Top + plotH, "axis-line");
            svg.Line(Left, Top, Left, Top + plotH, "axis-line");
            svg.Text(Left + plotW / 2, Height - 4, "time since the run started", "axis", "middle");

            if (points.Count == 0)
            {
                svg.Text(Left + plotW / 2, Top + plotH / 2, "No card has finished yet", "label muted", "middle");
                return svg.ToString();
            }
            svg.Path(Steps(points, p => p.Finished, X, Y, maxSeconds), "line series-finished");
            svg.Path(Steps(points, p => p.Updated, X, Y, maxSeconds), "line series-updated");
            foreach (var p in points)
                svg.Circle(X(p.Elapsed.TotalSeconds), Y(p.Finished), 3, "point series-finished",
                    $"{Duration(p.Elapsed.TotalSeconds)}: {p.Finished} of {cards} finished, {p.Updated} updated");
            svg.Rect(Left + 12, Top + 4, 12, 4, "legend series-finished");
            svg.Text(Left + 30, Top + 10, "finished", "label");
            svg.Rect(Left + 100, Top + 4, 12, 4, "legend series-updated");
            svg.Text(Left + 118, Top + 10, "updated", "label");
            return svg.ToString();
        }

        private static string Steps(IReadOnlyList<ReportProgressPoint> points, Func<ReportProgressPoint, int> value,
            Func<double, double> x, Func<double, double> y, double maxSeconds)
        {
            var d = new StringBuilder();
            d.Append("M").Append(Markup.Number(x(0))).Append(' ').Append(Markup.Number(y(0)));
            int current = 0;
            foreach (var p in points)
            {
                var px = Markup.Number(x(p.Elapsed.TotalSeconds));
                d.Append(" H").Append(px);
                current = value(p);
                d.Append(" V").Append(Markup.Number(y(current)));
            }
            d.Append(" H").Append(Markup.Number(x(maxSeconds)));
            return d.ToString();
        }

        private static IEnumerable<int> CardTicks(int max)
        {
            var step = Math.Max(1, (int)Math.Ceiling(max / 5.0));
            for (int n = 0; n <= max; n += step) yield return n;
        }

        internal static string Duration(double seconds)
        {
            if (seconds < 60) return seconds.ToString(seconds < 10 && seconds % 1 != 0 ? "0.#" : "0", CultureInfo.InvariantCulture) + " s";
            var t = TimeSpan.FromSeconds(seconds);
            if (t.TotalHours < 1) return $"{(int)t.TotalMinutes} min {t.Seconds:00} s";
            return $"{(int)t.TotalHours} h {t.Minutes:00} min";
        }
    }
}
