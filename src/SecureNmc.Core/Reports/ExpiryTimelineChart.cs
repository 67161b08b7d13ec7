using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using SecureNmc.Core.Licensing;

namespace SecureNmc.Core.Reports
{
    /// <summary>
    /// Subscription expiry on a calendar axis: one row per card (soonest expiry first), a bar for the
    /// covered period ending on the expiry day, today as a line and the 30-day warning window shaded,
    /// so expired cards (bars ending left of today) and those about to expire stand out.
    /// </summary>
    internal static class ExpiryTimelineChart
    {
        private const double Width = 1120, LabelWidth = 190, RowHeight = 20, BarHeight = 12, Top = 26, Bottom = 26, Right = 16;
        public const int MaxRows = 60;

        public sealed class Row
        {
            public Row(string label, DateTime? validFrom, DateTime expiresOn, string state) { Label = label; ValidFrom = validFrom; ExpiresOn = expiresOn; State = state; }
            public string Label { get; }
            public DateTime? ValidFrom { get; }
            public DateTime ExpiresOn { get; }
            public string State { get; }
        }

        public static string Render(string id, string title, IReadOnlyList<Row> all, DateTime today)
        {
            var rows = all.OrderBy(r => r.ExpiresOn).ThenBy(r => r.Label, StringComparer.OrdinalIgnoreCase).Take(MaxRows).ToList();
            var height = Top + Math.Max(1, rows.Count) * RowHeight + Bottom;
            var svg = new SvgCanvas(id, title, Width, height, wide: true);
            if (rows.Count == 0)
            {
                svg.Text(Width / 2, height / 2, "No subscription on record", "label muted", "middle");
                return svg.ToString();
            }
            var warnEnd = today.AddDays(SubscriptionRules.ExpiryWarningDays);
            var start = Min(today.AddDays(-60), rows.Min(r => r.ExpiresOn).AddDays(-30));
            var end = Max(today.AddDays(120), rows.Max(r => r.ExpiresOn).AddDays(30));
            var plot = Width - LabelWidth - Right;
            double X(DateTime day) => LabelWidth + plot * (day - start).TotalDays / (end - start).TotalDays;
            var bottom = Top + rows.Count * RowHeight;

            svg.Rect(X(today), Top - 6, X(warnEnd) - X(today), bottom - Top + 6, "warning-window", $"The {SubscriptionRules.ExpiryWarningDays}-day renewal warning window");
            foreach (var tick in Ticks(start, end))
            {
                if (X(tick) > Width - Right - 24) continue; // its label would run off the edge
                svg.Line(X(tick), Top - 6, X(tick), bottom, "gridline");
                svg.Text(X(tick), bottom + 16, tick.ToString("MMM yyyy", CultureInfo.InvariantCulture), "axis", "middle");
            }
            for (int i = 0; i < rows.Count; i++)
            {
                var r = rows[i];
                var y = Top + i * RowHeight;
                var from = r.ValidFrom.HasValue && r.ValidFrom.Value > start ? r.ValidFrom.Value : start;
                var tone = StatusTone.OfSubscription(r.State);
                svg.Text(LabelWidth - 8, y + BarHeight - 1, BarChart.Shorten(r.Label), "label", "end");
                svg.Rect(X(from), y, Math.Max(X(r.ExpiresOn) - X(from), 2), BarHeight, "bar " + tone,
                    $"{r.Label}: {r.State}, expires {r.ExpiresOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}");
                svg.Circle(X(r.ExpiresOn), y + BarHeight / 2, 4, "marker " + tone);
            }
            svg.Line(X(today), Top - 10, X(today), bottom, "today");
            svg.Text(X(today), Top - 12, "today", "axis strong", "middle");
            return svg.ToString();
        }

        /// <summary>First days of months across the range, thinned to at most eight labels.</summary>
        private static IEnumerable<DateTime> Ticks(DateTime start, DateTime end)
        {
            var months = (end.Year - start.Year) * 12 + end.Month - start.Month;
            var step = Math.Max(1, (int)Math.Ceiling(months / 8.0));
            for (var t = new DateTime(start.Year, start.Month, 1).AddMonths(1); t < end; t = t.AddMonths(step)) yield return t;
        }

        private static DateTime Min(DateTime a, DateTime b) => a < b ? a : b;
        private static DateTime Max(DateTime a, DateTime b) => a > b ? a : b;
    }
}
