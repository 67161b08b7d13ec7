using System.Collections.Generic;
using System.Text;

namespace SecureNmc.Core.Reports
{
    /// <summary>Writes an HTML table; every header and cell is escaped, a cell may be shown as a coloured pill.</summary>
    internal sealed class HtmlTable
    {
        private readonly StringBuilder _sb = new StringBuilder();

        public HtmlTable(string cssClass, params string[] headers)
        {
            _sb.Append("<table class=\"").Append(Markup.Escape(cssClass)).Append("\"><thead><tr>");
            foreach (var h in headers) _sb.Append("<th>").Append(Markup.Escape(h)).Append("</th>");
            _sb.Append("</tr></thead><tbody>");
        }

        public HtmlTable Row(string? rowClass, IEnumerable<Cell> cells)
        {
            _sb.Append(rowClass == null ? "<tr>" : "<tr class=\"" + Markup.Escape(rowClass) + "\">");
            foreach (var c in cells)
            {
                _sb.Append(c.CssClass == null ? "<td>" : "<td class=\"" + Markup.Escape(c.CssClass) + "\">");
                if (c.Pill != null) _sb.Append("<span class=\"pill ").Append(Markup.Escape(c.Pill)).Append("\">").Append(Markup.Escape(c.Text)).Append("</span>");
                else _sb.Append(Markup.Escape(c.Text));
                _sb.Append("</td>");
            }
            _sb.Append("</tr>");
            return this;
        }

        public HtmlTable Row(params Cell[] cells) => Row(null, cells);

        public override string ToString() => _sb.ToString() + "</tbody></table>";

        public sealed class Cell
        {
            public Cell(string? text, string? pill = null, string? cssClass = null) { Text = text ?? ""; Pill = pill; CssClass = cssClass; }
            public string Text { get; }
            public string? Pill { get; }
            public string? CssClass { get; }
            public static implicit operator Cell(string? text) => new Cell(text);
        }
    }
}
