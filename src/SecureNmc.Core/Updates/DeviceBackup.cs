using System;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using SecureNmc.Core.Devices;
using SecureNmc.Core.Storage;

namespace SecureNmc.Core.Updates
{
    /// <summary>
    /// "Backing Up Device": copies config.ini, event.txt and data.txt from the card's root into
    /// Backup/&lt;device&gt;/&lt;timestamp&gt;/ over one session. Each file lands under a temporary name
    /// and is renamed when complete, so a half-copied file never looks like a backup.
    /// </summary>
    internal static class DeviceBackup
    {
        public static readonly string[] Files = { "config.ini", "event.txt", "data.txt" };

        public static async Task<string> RunAsync(NmcDevice device, IDeviceSessionFactory sessions, string deviceFolder, DateTimeOffset now, CancellationToken cancellationToken)
        {
            var folder = CreateFolder(deviceFolder, now);
            using (var session = await sessions.OpenAsync(device, cancellationToken).ConfigureAwait(false))
            {
                foreach (var name in Files)
                {
                    var final = Path.Combine(folder, name);
                    var temp = final + ".partial";
                    try
                    {
                        if (File.Exists(temp)) File.Delete(temp); // left by a killed run
                        using (var output = UnixFilePermissions.CreateOwnerOnlyFile(temp, 1 << 16))
                            await session.DownloadAsync(name, output, null, cancellationToken).ConfigureAwait(false);
                        File.Move(temp, final);
                    }
                    catch (IOException ex)
                    {
                        // A full or read-only disk: say it was the backup, where, and what to do; nothing was sent to the card.
                        throw new IOException($"the backup of {name} could not be written to {folder} ({ex.Message.TrimEnd('.', ' ')}). " +
                                              "Nothing was sent to the card. Free space on that disk (or choose another backup folder) and run the update again.", ex);
                    }
                    finally
                    {
                        if (File.Exists(temp)) File.Delete(temp);
                    }
                }
                await session.CloseAsync(cancellationToken).ConfigureAwait(false);
            }
            return folder;
        }

        /// <summary>The default per-card folder: Backup/&lt;device name, made file-safe&gt;.</summary>
        internal static string DefaultDeviceFolder(string backupRoot, NmcDevice device) => Path.Combine(backupRoot, SafeName(device.DisplayName));

        /// <summary>&lt;device folder&gt;/&lt;yyyyMMdd-HHmmss&gt;, with a suffix if that second is taken.</summary>
        internal static string CreateFolder(string deviceFolder, DateTimeOffset now)
        {
            var stamp = now.UtcDateTime.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);
            var folder = Path.Combine(deviceFolder, stamp);
            for (int n = 2; Directory.Exists(folder); n++) folder = Path.Combine(deviceFolder, stamp + "-" + n.ToString(CultureInfo.InvariantCulture));
            PhysicalFileOperations.CreateOwnerOnlyDirectory(folder);
            return folder;
        }

        internal static string SafeName(string name)
        {
            var invalid = Path.GetInvalidFileNameChars().Concat(new[] { '/', '\\', ':', '*', '?', '"', '<', '>', '|' }).ToArray();
            var chars = name.Select(c => invalid.Contains(c) || char.IsControl(c) ? '_' : c).ToArray();
            var safe = new string(chars).Trim().TrimEnd('.');
            return safe.Length == 0 || safe == "." || safe == ".." ? "device" : safe;
        }
    }
}
