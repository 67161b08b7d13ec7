using System;
using System.Diagnostics;
using System.Runtime.InteropServices;

namespace SecureNmc.Core.WebUi
{
    /// <summary>Which desktop the URL is opened on; decides the launch command.</summary>
    public enum DesktopPlatform
    {
        Windows,
        Linux,
        MacOS,
    }

    /// <summary>How a URL is handed to the default browser: a program and its single argument, or the shell itself.</summary>
    public sealed class BrowserLaunch
    {
        public BrowserLaunch(string fileName, string? argument, bool useShellExecute)
        {
            FileName = fileName;
            Argument = argument;
            UseShellExecute = useShellExecute;
        }

        /// <summary>The URL itself (Windows shell) or the opener program (xdg-open, open).</summary>
        public string FileName { get; }

        /// <summary>The URL when <see cref="FileName"/> is an opener program; null for the shell.</summary>
        public string? Argument { get; }

        public bool UseShellExecute { get; }

        public override string ToString() => Argument == null ? FileName : FileName + " " + Argument;
    }

    /// <summary>
    /// Opens a URL in the user's default browser: Windows through the shell (what Start-Process does
    /// with a URL), Linux through xdg-open, macOS through open. Only https URLs are accepted, so a
    /// device record can never make the shell run a program or open a local file.
    /// </summary>
    public static class BrowserLauncher
    {
        public static DesktopPlatform CurrentPlatform =>
            RuntimeInformation.IsOSPlatform(OSPlatform.Windows) ? DesktopPlatform.Windows
            : RuntimeInformation.IsOSPlatform(OSPlatform.OSX) ? DesktopPlatform.MacOS
            : DesktopPlatform.Linux;

        /// <summary>The launch for <paramref name="url"/> on <paramref name="platform"/>; refuses anything but an absolute https URL.</summary>
        public static BrowserLaunch Plan(Uri url, DesktopPlatform platform)
        {
            if (url == null) throw new ArgumentNullException(nameof(url));
            if (!url.IsAbsoluteUri || url.Scheme != Uri.UriSchemeHttps)
                throw new ArgumentException($"Only https addresses are opened in the browser, not '{url}'.", nameof(url));
            var text = url.AbsoluteUri;
            switch (platform)
            {
                case DesktopPlatform.Windows: return new BrowserLaunch(text, null, useShellExecute: true);
                case DesktopPlatform.MacOS: return new BrowserLaunch("open", text, useShellExecute: false);
                default: return new BrowserLaunch("xdg-open", text, useShellExecute: false);
            }
        }

        /// <summary>
        /// Starts the browser for <paramref name="url"/> on this machine. Throws
        /// <see cref="InvalidOperationException"/> with what to do when no browser opener exists
        /// (a server without a desktop, xdg-utils missing).
        /// </summary>
        public static void Open(Uri url)
        {
            var plan = Plan(url, CurrentPlatform);
            var start = new ProcessStartInfo(plan.FileName) { UseShellExecute = plan.UseShellExecute };
            if (plan.Argument != null) start.Arguments = Quote(plan.Argument);
            try
            {
                using var process = Process.Start(start);
            }
            catch (System.ComponentModel.Win32Exception ex)
            {
                throw new InvalidOperationException(
                    $"Could not open {url.AbsoluteUri} in a browser ({plan.FileName}: {ex.Message}). " +
                    (CurrentPlatform == DesktopPlatform.Linux ? "Install xdg-utils and a desktop browser, or " : "") +
                    "open the address by hand.", ex);
            }
        }

        /// <summary>A URL built by <see cref="NmcWebUiAddress"/> has no quotes or spaces; quoting keeps it one argument regardless.</summary>
        private static string Quote(string argument) => "\"" + argument.Replace("\"", "%22") + "\"";
    }
}
