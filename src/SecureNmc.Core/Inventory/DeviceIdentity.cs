using System;
using System.Collections.Generic;
using SecureNmc.Core.Devices;

namespace SecureNmc.Core.Inventory
{
    /// <summary>Two devices are the same card when host (case-insensitive, trailing dot ignored) and port match.</summary>
    public static class DeviceIdentity
    {
        public static string KeyOf(NmcDevice device) => KeyOf(device.Host, device.Port);

        public static string KeyOf(string host, int port) =>
            (host ?? "").Trim().TrimEnd('.').ToUpperInvariant() + ":" + port.ToString(System.Globalization.CultureInfo.InvariantCulture);

        public static IEqualityComparer<string> KeyComparer => StringComparer.Ordinal;
    }
}
