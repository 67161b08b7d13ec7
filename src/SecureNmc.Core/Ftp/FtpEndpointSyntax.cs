using System;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace SecureNmc.Core.Ftp
{
    /// <summary>
    /// The four ways FTP names a data endpoint: PASV replies (227), EPSV replies (229, RFC 2428),
    /// PORT and EPRT arguments. Parsing is strict; every port must lie in 1-65535.
    /// </summary>
    public static class FtpEndpointSyntax
    {
        /// <summary>Finds "h1,h2,h3,h4,p1,p2" in a 227 reply text (RFC 1123 §4.1.2.6: scan for the numbers, do not rely on parentheses).</summary>
        public static bool TryParsePasvReply(string text, out IPEndPoint? endPoint)
        {
            endPoint = null;
            for (int start = 0; start < text.Length; start++)
            {
                if (!char.IsDigit(text[start]) || (start > 0 && char.IsDigit(text[start - 1]))) continue;
                int end = start;
                while (end < text.Length && (char.IsDigit(text[end]) || text[end] == ',' || text[end] == ' ')) end++;
                if (TryParseSixNumbers(text.Substring(start, end - start).Trim(), out endPoint)) return true;
            }
            return false;
        }

        /// <summary>Parses a PORT argument "h1,h2,h3,h4,p1,p2".</summary>
        public static bool TryParsePortArgument(string argument, out IPEndPoint? endPoint) =>
            TryParseSixNumbers(argument.Trim(), out endPoint);

        /// <summary>Finds "(&lt;d&gt;&lt;d&gt;&lt;d&gt;port&lt;d&gt;)" in a 229 reply text and returns the port.</summary>
        public static bool TryParseEpsvReply(string text, out int port)
        {
            port = 0;
            int open = text.IndexOf('(');
            int close = open < 0 ? -1 : text.IndexOf(')', open);
            if (open < 0 || close < 0) return false;
            string inside = text.Substring(open + 1, close - open - 1);
            if (inside.Length < 5) return false;
            char d = inside[0];
            if (d < 33 || d > 126 || char.IsDigit(d)) return false;
            if (inside[1] != d || inside[2] != d || inside[inside.Length - 1] != d) return false;
            return TryParsePort(inside.Substring(3, inside.Length - 4), out port);
        }

        /// <summary>Parses an EPRT argument "&lt;d&gt;proto&lt;d&gt;address&lt;d&gt;port&lt;d&gt;" (proto 1 = IPv4, 2 = IPv6).</summary>
        public static bool TryParseEprtArgument(string argument, out IPEndPoint? endPoint)
        {
            endPoint = null;
            argument = argument.Trim();
            if (argument.Length < 7) return false;
            char d = argument[0];
            if (d < 33 || d > 126 || argument[argument.Length - 1] != d) return false;
            string[] parts = argument.Substring(1, argument.Length - 2).Split(d);
            if (parts.Length != 3) return false;
            AddressFamily family;
            if (parts[0] == "1") family = AddressFamily.InterNetwork;
            else if (parts[0] == "2") family = AddressFamily.InterNetworkV6;
            else return false;
            if (!IPAddress.TryParse(parts[1], out IPAddress? address) || address.AddressFamily != family) return false;
            if (family == AddressFamily.InterNetwork && parts[1].Split('.').Length != 4) return false;
            if (!TryParsePort(parts[2], out int port)) return false;
            endPoint = new IPEndPoint(address, port);
            return true;
        }

        public static string FormatEprtArgument(IPEndPoint endPoint)
        {
            string proto = endPoint.AddressFamily == AddressFamily.InterNetworkV6 ? "2" : "1";
            return "|" + proto + "|" + endPoint.Address + "|" + endPoint.Port.ToString(CultureInfo.InvariantCulture) + "|";
        }

        /// <summary>"h1,h2,h3,h4,p1,p2" for PORT arguments and 227 replies; IPv4 only.</summary>
        public static string FormatSixNumbers(IPEndPoint endPoint)
        {
            IPAddress address = endPoint.Address.IsIPv4MappedToIPv6 ? endPoint.Address.MapToIPv4() : endPoint.Address;
            if (address.AddressFamily != AddressFamily.InterNetwork)
                throw new ArgumentException("PORT and PASV can only name IPv4 addresses.", nameof(endPoint));
            byte[] b = address.GetAddressBytes();
            return string.Join(",", b[0], b[1], b[2], b[3], endPoint.Port >> 8, endPoint.Port & 0xff);
        }

        public static string FormatEpsvReplyText(int port) =>
            "Entering Extended Passive Mode (|||" + port.ToString(CultureInfo.InvariantCulture) + "|)";

        private static bool TryParseSixNumbers(string text, out IPEndPoint? endPoint)
        {
            endPoint = null;
            string[] parts = text.Split(',');
            if (parts.Length != 6) return false;
            var values = new int[6];
            for (int i = 0; i < 6; i++)
            {
                string part = parts[i].Trim();
                if (part.Length == 0 || part.Length > 3) return false;
                foreach (char c in part) if (c < '0' || c > '9') return false;
                values[i] = int.Parse(part, CultureInfo.InvariantCulture);
                if (values[i] > 255) return false;
            }
            int port = values[4] * 256 + values[5];
            if (port == 0) return false;
            endPoint = new IPEndPoint(new IPAddress(new[] { (byte)values[0], (byte)values[1], (byte)values[2], (byte)values[3] }), port);
            return true;
        }

        private static bool TryParsePort(string text, out int port)
        {
            port = 0;
            if (text.Length == 0 || text.Length > 5) return false;
            foreach (char c in text) if (c < '0' || c > '9') return false;
            port = int.Parse(text, CultureInfo.InvariantCulture);
            return port >= 1 && port <= 65535;
        }
    }
}
