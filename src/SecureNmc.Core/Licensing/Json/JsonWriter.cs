using System.Globalization;
using System.Text;

namespace SecureNmc.Core.Licensing.Json
{
    /// <summary>Writes the tree model as JSON; indented output for files people may open.</summary>
    internal static class JsonWriter
    {
        public static string Write(JsonValue value, bool indented = false)
        {
            var sb = new StringBuilder();
            WriteValue(sb, value, indented, 0);
            if (indented) sb.Append('\n');
            return sb.ToString();
        }

        private static void WriteValue(StringBuilder sb, JsonValue value, bool indented, int level)
        {
            switch (value)
            {
                case JsonNull _: sb.Append("null"); break;
                case JsonBool b: sb.Append(b.Value ? "true" : "false"); break;
                case JsonNumber n: sb.Append(n.Text); break;
                case JsonString s: WriteString(sb, s.Value); break;
                case JsonArray a:
                    sb.Append('[');
                    for (int i = 0; i < a.Items.Count; i++)
                    {
                        if (i > 0) sb.Append(',');
                        NewLine(sb, indented, level + 1);
                        WriteValue(sb, a.Items[i], indented, level + 1);
                    }
                    if (a.Items.Count > 0) NewLine(sb, indented, level);
                    sb.Append(']');
                    break;
                case JsonObject o:
                    sb.Append('{');
                    for (int i = 0; i < o.Members.Count; i++)
                    {
                        if (i > 0) sb.Append(',');
                        NewLine(sb, indented, level + 1);
                        WriteString(sb, o.Members[i].Key);
                        sb.Append(indented ? ": " : ":");
                        WriteValue(sb, o.Members[i].Value, indented, level + 1);
                    }
                    if (o.Members.Count > 0) NewLine(sb, indented, level);
                    sb.Append('}');
                    break;
            }
        }

        private static void NewLine(StringBuilder sb, bool indented, int level)
        {
            if (!indented) return;
            sb.Append('\n');
            sb.Append(' ', level * 2);
        }

        private static void WriteString(StringBuilder sb, string s)
        {
            sb.Append('"');
            foreach (char c in s)
            {
                switch (c)
                {
                    case '"': sb.Append("\\\""); break;
                    case '\\': sb.Append("\\\\"); break;
                    case '\n': sb.Append("\\n"); break;
                    case '\r': sb.Append("\\r"); break;
                    case '\t': sb.Append("\\t"); break;
                    default:
                        if (c < 0x20) sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                        else sb.Append(c);
                        break;
                }
            }
            sb.Append('"');
        }
    }
}
