using System;
using System.Globalization;
using SecureNmc.Core.Devices;

namespace SecureNmc.Core.WebUi
{
    /// <summary>
    /// The address of a card's web interface (the SNS Tool's "Log in to NMC"): always HTTPS (NMC3
    /// serves its web UI over HTTPS; plain HTTP would send the login in clear text), the device's
    /// host, and a port only when it is not 443. The host is validated again here because the URL is
    /// handed to the operating system's URL handler: nothing but a plain address or name may reach it.
    /// </summary>
    public static class NmcWebUiAddress
    {
        public const int DefaultHttpsPort = 443;

        /// <summary>https://host/ or https://host:port/; throws <see cref="ArgumentException"/> naming the device for a bad host or port.</summary>
        public static Uri For(NmcDevice device, int httpsPort = DefaultHttpsPort)
        {
            if (device == null) throw new ArgumentNullException(nameof(device));
            return For(device.Host, httpsPort, device.DisplayName);
        }

        public static Uri For(string host, int httpsPort = DefaultHttpsPort, string? deviceName = null)
        {
            var who = string.IsNullOrEmpty(deviceName) ? "" : $" of device '{deviceName}'";
            if (httpsPort < 1 || httpsPort > 65535)
                throw new ArgumentException($"The web interface port{who} must be from 1 to 65535, not {httpsPort}.", nameof(httpsPort));
            var checkedHost = HostNameValidator.Validate(host);
            if (!checkedHost.IsValid)
                throw new ArgumentException($"Cannot open the web interface{who}: {checkedHost.Error}", nameof(host));
            var port = httpsPort == DefaultHttpsPort ? "" : ":" + httpsPort.ToString(CultureInfo.InvariantCulture);
            return new Uri("https://" + checkedHost.Host!.ToLowerInvariant() + port + "/", UriKind.Absolute);
        }
    }
}
