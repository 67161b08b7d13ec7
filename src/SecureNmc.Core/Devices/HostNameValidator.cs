using System;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace SecureNmc.Core.Devices
{
    public enum HostKind
    {
        /// <summary>A dotted-quad IPv4 address.</summary>
        IPv4Address,
        /// <summary>A host name or fully qualified domain name (RFC 1123).</summary>
        DnsName,
    }

    /// <summary>The outcome of validating one host: the normalised host, or a specific reason.</summary>
    public sealed class HostValidationResult
    {
        private HostValidationResult(string? host, HostKind kind, string? error)
        {
            Host = host;
            Kind = kind;
            Error = error;
        }

        public bool IsValid => Error == null;

        /// <summary>The host as it will be stored: trimmed, no trailing dot. Null when invalid.</summary>
        public string? Host { get; }

        public HostKind Kind { get; }

        /// <summary>Why the host was rejected, in words a user can act on. Null when valid.</summary>
        public string? Error { get; }

        internal static HostValidationResult Valid(string host, HostKind kind) => new HostValidationResult(host, kind, null);
        internal static HostValidationResult Invalid(string error) => new HostValidationResult(null, default, error);
    }

    /// <summary>
    /// Validates the address of a card: a strict IPv4 dotted quad (the SNS Tool requires IPv4), or a
    /// host name / FQDN per RFC 1123 (labels of letters, digits and inner hyphens, 1-63 characters,
    /// 253 in all). Common mistakes get their own message: URLs, host:port, user@host, spaces, IPv6.
    /// </summary>
    public static class HostNameValidator
    {
        private const int MaxNameLength = 253;
        private const int MaxLabelLength = 63;

        public static HostValidationResult Validate(string? input)
        {
            if (input == null || input.Trim().Length == 0)
                return HostValidationResult.Invalid("The host is empty. Give the card's IPv4 address (e.g. 192.168.1.20), host name or FQDN.");

            var host = input.Trim();
            var quoted = Quote(host);

            if (host.IndexOf("://", StringComparison.Ordinal) >= 0)
                return HostValidationResult.Invalid($"The host {quoted} is a URL. Give only the card's address or name (e.g. 'nmc1.example.com'), and the protocol with -Protocol.");
            if (host.IndexOf('@') >= 0)
                return HostValidationResult.Invalid($"The host {quoted} contains '@'. Give only the card's address or name; give the user name with the credential.");
            if (host.IndexOf('/') >= 0 || host.IndexOf('\\') >= 0)
                return HostValidationResult.Invalid($"The host {quoted} contains a '/' or '\\'. Give only the card's address or name, without a path or network prefix.");
            for (int i = 0; i < host.Length; i++)
            {
                if (char.IsWhiteSpace(host[i]))
                    return HostValidationResult.Invalid($"The host {quoted} contains a space. Give one address or name per device.");
            }

            if (host.StartsWith("[", StringComparison.Ordinal) || CountOf(host, ':') >= 2)
            {
                var bare = host.Trim('[', ']');
                int close = host.IndexOf(']');
                if (close > 0) bare = host.Substring(1, close - 1);
                if (IPAddress.TryParse(bare, out var v6) && v6.AddressFamily == AddressFamily.InterNetworkV6)
                    return HostValidationResult.Invalid($"The host {quoted} is an IPv6 address. Network Management Cards are managed over IPv4 only: give the card's IPv4 address or a name that resolves to it.");
                return HostValidationResult.Invalid($"The host {quoted} contains ':' and is neither an IPv4 address nor a host name.");
            }
            if (host.IndexOf(':') >= 0)
            {
                var portText = host.Substring(host.IndexOf(':') + 1);
                return HostValidationResult.Invalid($"The host {quoted} includes a port. Give the host alone and the port ({portText}) separately (-Port, or the Port column).");
            }

            if (host.EndsWith(".", StringComparison.Ordinal) && host.Length > 1) host = host.Substring(0, host.Length - 1);

            if (LooksNumeric(host)) return ValidateIPv4(host, quoted);
            return ValidateDnsName(host, quoted);
        }

        /// <summary>True when <paramref name="input"/> is a valid host; <paramref name="normalized"/> is the form to store.</summary>
        public static bool TryNormalize(string? input, out string normalized)
        {
            var result = Validate(input);
            normalized = result.Host ?? "";
            return result.IsValid;
        }

        /// <summary>Hosts compare case-insensitively (DNS is case-insensitive), ignoring a trailing dot.</summary>
        public static bool SameHost(string? a, string? b) =>
            string.Equals(a?.Trim().TrimEnd('.'), b?.Trim().TrimEnd('.'), StringComparison.OrdinalIgnoreCase);

        private static HostValidationResult ValidateIPv4(string host, string quoted)
        {
            var parts = host.Split('.');
            if (parts.Length != 4)
                return HostValidationResult.Invalid($"The host {quoted} is not a valid IPv4 address: it needs four numbers separated by dots (e.g. 192.168.1.20).");
            foreach (var part in parts)
            {
                if (part.Length == 0)
                    return HostValidationResult.Invalid($"The host {quoted} is not a valid IPv4 address: it has an empty part.");
                if (part.Length > 1 && part[0] == '0')
                    return HostValidationResult.Invalid($"The host {quoted} is not a valid IPv4 address: '{part}' has a leading zero (which some tools read as octal). Write it without leading zeros.");
                if (part.Length > 3 || int.Parse(part, NumberStyles.None, CultureInfo.InvariantCulture) > 255)
                    return HostValidationResult.Invalid($"The host {quoted} is not a valid IPv4 address: {part} is greater than 255.");
            }
            int first = int.Parse(parts[0], CultureInfo.InvariantCulture);
            if (host == "0.0.0.0")
                return HostValidationResult.Invalid($"The host {quoted} is the unspecified address, not a card's address.");
            if (host == "255.255.255.255")
                return HostValidationResult.Invalid($"The host {quoted} is the broadcast address, not a card's address.");
            if (first >= 224 && first <= 239)
                return HostValidationResult.Invalid($"The host {quoted} is a multicast address, not a card's address.");
            return HostValidationResult.Valid(host, HostKind.IPv4Address);
        }

        private static HostValidationResult ValidateDnsName(string host, string quoted)
        {
            if (host.Length > MaxNameLength)
                return HostValidationResult.Invalid($"The host name {quoted} is {host.Length} characters long; a host name may have at most {MaxNameLength}.");
            var labels = host.Split('.');
            foreach (var label in labels)
            {
                if (label.Length == 0)
                    return HostValidationResult.Invalid($"The host name {quoted} has an empty label (two dots in a row, or a leading dot).");
                if (label.Length > MaxLabelLength)
                    return HostValidationResult.Invalid($"The host name {quoted} has a label of {label.Length} characters ('{Shorten(label)}'); each dot-separated part may have at most {MaxLabelLength}.");
                foreach (char c in label)
                {
                    if (c > 0x7F)
                        return HostValidationResult.Invalid($"The host name {quoted} contains '{c}'. Give an internationalised name in its ASCII (punycode, 'xn--') form.");
                    if (!IsLetterOrDigit(c) && c != '-')
                        return HostValidationResult.Invalid($"The host name {quoted} contains '{c}'; host names may only contain letters, digits, hyphens and dots (RFC 1123).");
                }
                if (label[0] == '-' || label[label.Length - 1] == '-')
                    return HostValidationResult.Invalid($"The host name {quoted} has a label ('{label}') that starts or ends with a hyphen, which RFC 1123 does not allow.");
            }
            // A name whose last label is all digits would be read as a (broken) address by resolvers.
            var last = labels[labels.Length - 1];
            if (AllDigits(last))
                return HostValidationResult.Invalid($"The host {quoted} is neither a valid IPv4 address nor a host name: its last part is a number.");
            return HostValidationResult.Valid(host, HostKind.DnsName);
        }

        private static bool LooksNumeric(string host)
        {
            foreach (char c in host)
            {
                if (!(c >= '0' && c <= '9') && c != '.') return false;
            }
            return true;
        }

        private static bool AllDigits(string s)
        {
            foreach (char c in s) if (c < '0' || c > '9') return false;
            return s.Length > 0;
        }

        private static bool IsLetterOrDigit(char c) => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');

        private static int CountOf(string s, char c)
        {
            int n = 0;
            foreach (char x in s) if (x == c) n++;
            return n;
        }

        private static string Shorten(string s) => s.Length <= 20 ? s : s.Substring(0, 17) + "...";

        private static string Quote(string s) => "'" + (s.Length <= 80 ? s : s.Substring(0, 77) + "...") + "'";
    }
}
