using System;
using System.IO;
using System.Runtime.InteropServices;

namespace SecureNmc.Core.Storage
{
    public enum HostPlatform { Windows, Linux, MacOS }

    /// <summary>
    /// Finds the data folder. Precedence: (1) SECURENMC_HOME, everything including settings.json
    /// inside it; (2) the DataFolder setting read from the platform default folder's settings.json;
    /// (3) the platform default: Windows %LOCALAPPDATA%\SecureNmc, Linux $XDG_DATA_HOME/SecureNmc
    /// or ~/.local/share/SecureNmc, macOS ~/Library/Application Support/SecureNmc.
    /// </summary>
    public sealed class DataFolderLocator
    {
        private readonly Func<string, string?> _getEnvironmentVariable;
        private readonly HostPlatform _platform;
        private readonly string _homeFolder;

        public DataFolderLocator() : this(Environment.GetEnvironmentVariable, CurrentPlatform(), null) { }

        /// <summary>For tests: a fake environment, platform and home folder.</summary>
        public DataFolderLocator(Func<string, string?> getEnvironmentVariable, HostPlatform platform, string? homeFolder)
        {
            _getEnvironmentVariable = getEnvironmentVariable;
            _platform = platform;
            _homeFolder = homeFolder ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        }

        public static HostPlatform CurrentPlatform() =>
            RuntimeInformation.IsOSPlatform(OSPlatform.Windows) ? HostPlatform.Windows
            : RuntimeInformation.IsOSPlatform(OSPlatform.OSX) ? HostPlatform.MacOS
            : HostPlatform.Linux;

        /// <summary>The folder of the current user, from the environment, the settings and the platform.</summary>
        public static DataFolder Resolve() => new DataFolderLocator().Locate();

        public DataFolder Locate()
        {
            var fromEnvironment = _getEnvironmentVariable(DataFolder.EnvironmentVariableName);
            if (!string.IsNullOrWhiteSpace(fromEnvironment))
            {
                var root = RequireNotAFile(ExpandPath(fromEnvironment!, DataFolder.EnvironmentVariableName), DataFolder.EnvironmentVariableName);
                return new DataFolder(root, Path.Combine(root, DataFolder.SettingsFileName), DataFolderSource.EnvironmentVariable);
            }

            var defaultRoot = PlatformDefaultRoot();
            var settingsFile = Path.Combine(defaultRoot, DataFolder.SettingsFileName);
            var configured = SecureNmc.Core.Settings.SettingsStore.ReadDataFolderSetting(settingsFile);
            if (!string.IsNullOrWhiteSpace(configured))
                return new DataFolder(RequireNotAFile(ExpandPath(configured!, "the DataFolder setting"), "the DataFolder setting"), settingsFile, DataFolderSource.Setting);
            return new DataFolder(RequireNotAFile(defaultRoot, "the platform default"), settingsFile, DataFolderSource.PlatformDefault);
        }

        /// <summary>The platform default data folder (ignores SECURENMC_HOME and the setting).</summary>
        public string PlatformDefaultRoot()
        {
            switch (_platform)
            {
                case HostPlatform.Windows:
                    var localAppData = _getEnvironmentVariable("LOCALAPPDATA");
                    if (string.IsNullOrWhiteSpace(localAppData)) localAppData = Path.Combine(_homeFolder, "AppData", "Local");
                    return Path.Combine(localAppData!, "SecureNmc");
                case HostPlatform.MacOS:
                    return Path.Combine(_homeFolder, "Library", "Application Support", "SecureNmc");
                default:
                    // XDG Base Directory spec: a relative $XDG_DATA_HOME is invalid and must be ignored.
                    var xdg = _getEnvironmentVariable("XDG_DATA_HOME");
                    var dataHome = !string.IsNullOrWhiteSpace(xdg) && Path.IsPathRooted(xdg) ? xdg! : Path.Combine(_homeFolder, ".local", "share");
                    return Path.Combine(dataHome, "SecureNmc");
            }
        }

        /// <summary>
        /// A data folder path that names a file would otherwise read as an empty inventory and fail
        /// only at the first write, with an I/O message that does not say which setting is wrong.
        /// </summary>
        private static string RequireNotAFile(string root, string origin)
        {
            if (File.Exists(root))
                throw new StoreException(
                    $"The SecureNmc data folder '{root}' (from {origin}) is a file, not a folder. Point {origin} at a folder, or move the file aside.", root);
            return root;
        }

        /// <summary>Expands a leading ~ and makes the path absolute; rejects characters no file system accepts.</summary>
        public string ExpandPath(string path, string origin)
        {
            var trimmed = path.Trim();
            if (trimmed.IndexOfAny(Path.GetInvalidPathChars()) >= 0 || trimmed.IndexOf('\0') >= 0)
                throw new ArgumentException($"The data folder from {origin} ('{trimmed}') contains characters that are not allowed in a path.");
            if (trimmed == "~") trimmed = _homeFolder;
            else if (trimmed.StartsWith("~/", StringComparison.Ordinal) || trimmed.StartsWith("~\\", StringComparison.Ordinal))
                trimmed = Path.Combine(_homeFolder, trimmed.Substring(2));
            return Path.GetFullPath(trimmed);
        }
    }
}
