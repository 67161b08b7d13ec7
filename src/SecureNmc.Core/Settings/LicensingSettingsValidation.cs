using System;
using SecureNmc.Core.Licensing;

namespace SecureNmc.Core.Settings
{
    /// <summary>
    /// Checks for the two licensing settings, made when they are set and again when the settings file
    /// is read, so a bad value is reported where it was typed instead of at the first licensing command.
    /// </summary>
    internal static class LicensingSettingsValidation
    {
        /// <summary>Null when <paramref name="text"/> is an absolute https address (or http on loopback); otherwise why not.</summary>
        public static string? ValidateEndpoint(string text)
        {
            var value = text.Trim();
            if (value.Length == 0) return null;
            if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
                return $"The setting LicensingEndpoint must be an absolute https:// address such as https://licensing.example.com/snmc/; {Shown(value)} is not.";
            if (!string.IsNullOrEmpty(uri.UserInfo))
                return "The setting LicensingEndpoint must not contain a user name or password; sign in with Connect-NmcAccount instead.";
            if (uri.Scheme == Uri.UriSchemeHttp && !uri.IsLoopback)
                return $"The setting LicensingEndpoint ('{value}') must use https: passwords and sign-in tokens travel to it. Plain http is only allowed for a loopback address such as the licensing simulator.";
            if (!string.IsNullOrEmpty(uri.Query) || !string.IsNullOrEmpty(uri.Fragment))
                return $"The setting LicensingEndpoint ('{value}') must be a base address without a query (?) or fragment (#).";
            return null;
        }

        /// <summary>The value for an error message, unless it may hold a password (user:password@host).</summary>
        private static string Shown(string value) => value.IndexOf('@') >= 0 ? "the value given" : "'" + value + "'";

        /// <summary>Null when <paramref name="text"/> is a usable P-256 public key in the contract's form; otherwise why not.</summary>
        public static string? ValidateServiceKey(string text)
        {
            var value = text.Trim();
            if (value.Length == 0) return null;
            try
            {
                TrustedServiceKey.Parse(value);
                return null;
            }
            catch (FormatException e)
            {
                return "The setting LicensingServiceKey is not usable: " + e.Message + " Copy the key exactly as the licensing service (or Start-NmcLicensingSimulator) gives it.";
            }
        }
    }
}
