using System;
using System.Collections.Generic;
using System.Linq;

namespace SecureNmc.Core.Reports
{
    /// <summary>A horizontal bar chart: one labelled bar per count, longest bar = largest count.</summary>
    internal static class BarChart
    {
        private const double Width = 540, LabelWidth = 230, RowHeight = 24, BarHeight = 16, Top = 6, CountSpace = 44;
        private const int MaxLabelCharacters = 32;

        /// <param name="toneOf">The colour class of a bar from its label; null gives each bar the next series colour.</param>
        public static string Render(string id, string title, IReadOnlyList<ReportCount> counts, Func<string, string>? toneOf = null)
        {
            var height = Top * 2 + Math.Max(1, counts.Count) * RowHeight;
            var svg = new SvgCanvas(id, title, Width, height);
            if (counts.Count == 0)
            {
                svg.Text(Width / 2, height / 2 + 4, "No cards", "label muted", "middle");
                return svg.ToString();
            }
            var max = counts.Max(c => c.Count);
            var span = Width - LabelWidth - CountSpace;
            for (int i = 0; i < counts.Count; i++)
            {
                var c = counts[i];
                var y = Top + i * RowHeight;
                var length = max == 0 ? 0 : span * c.Count / max;
                svg.Text(LabelWidth - 8, y + BarHeight - 3, Shorten(c.Label), "label", "end");
                svg.Rect(LabelWidth, y, Math.Max(length, 2), BarHeight, "bar " + (toneOf?.Invoke(c.Label) ?? "series-" + (i % 6)), $"{c.Label}: {c.Count}");
                svg.Text(LabelWidth + Math.Max(length, 2) + 6, y + BarHeight - 3, c.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), "label value");
            }
            return svg.ToString();
        }

        internal static string Shorten(string label) =>
            label.Length <= MaxLabelCharacters ? label : label.Substring(0, MaxLabelCharacters - 1) + "\u2026";
    }
}
