using System.Globalization;
using System.Text;

namespace SecureNmc.Core.Reports
{
    /// <summary>
    /// Escapes text for HTML and SVG (XML) alike: &amp; &lt; &gt; " and ' become entities, so a value is
    /// safe in element text and in quoted attributes; characters XML forbids (control characters, lone
    /// surrogates) become U+FFFD so the SVG stays well-formed whatever a device name or error holds.
    /// </summary>
    internal static class Markup
    {
        public static string Escape(string? text)
        {
            if (string.IsNullOrEmpty(text)) return "";
            var sb = new StringBuilder(text!.Length + 16);
            for (int i = 0; i < text.Length; i++)
            {
                char c = text[i];
                switch (c)
                {
                    case '&': sb.Append("&amp;"); break;
                    case '<': sb.Append("&lt;"); break;
                    case '>': sb.Append("&gt;"); break;
                    case '"': sb.Append("&quot;"); break;
                    case '\'': sb.Append("&#39;"); break;
                    default:
                        if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])) { sb.Append(c).Append(text[++i]); }
                        else if (char.IsSurrogate(c) || (c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == '\uFFFE' || c == '\uFFFF') sb.Append('\uFFFD');
                        else sb.Append(c);
                        break;
                }
            }
            return sb.ToString();
        }

        /// <summary>A coordinate or length for SVG attributes: invariant culture, at most one decimal.</summary>
        public static string Number(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);
    }
}
