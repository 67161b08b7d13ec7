using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using SecureNmc.Core.Devices;
using SecureNmc.Core.Firmware;

namespace SecureNmc.Core.Updates
{
    /// <summary>One package written by Save-NmcFirmware, and the cards that need it.</summary>
    public sealed class SavedFirmware
    {
        public SavedFirmware(FirmwarePackage package, IReadOnlyList<string> devices)
        {
            Package = package;
            Devices = devices;
        }

        public FirmwarePackage Package { get; }
        public string FileName => Package.FileName;
        public IReadOnlyList<string> Devices { get; }

        /// <summary>Download Complete or Download Unsuccessful (seed wording).</summary>
        public DeviceStatus Status { get; internal set; } = DeviceStatus.DownloadPending;
        public string? Path { get; internal set; }
        public string? Error { get; internal set; }
    }

    /// <summary>
    /// The seed's "Update Firmware > Download Only": every package the selected cards' plans need
    /// (intermediate steps included), each once, verified and written to a folder for custom deployment.
    /// </summary>
    public static class FirmwareDownloadOnly
    {
        /// <summary>The packages the actionable plans need, each with the cards that need it; nothing is written.</summary>
        public static IReadOnlyList<SavedFirmware> Needed(IEnumerable<UpdatePlan> plans) =>
            plans.Where(p => p.IsActionable)
                .SelectMany(p => p.Steps.Select(s => (s.Package, p.DeviceName)))
                .GroupBy(x => x.Package.FileName, StringComparer.OrdinalIgnoreCase)
                .OrderBy(g => g.Key, StringComparer.OrdinalIgnoreCase)
                .Select(g => new SavedFirmware(g.First().Package, g.Select(x => x.DeviceName).Distinct().ToList()))
                .ToList();

        /// <summary>
        /// Writes the needed packages to <paramref name="folder"/> (downloading them into the cache first
        /// when the library has a catalog service). A package that cannot be had or fails its check is
        /// reported as Download Unsuccessful; the others are still written.
        /// </summary>
        public static async Task<IReadOnlyList<SavedFirmware>> SaveAsync(FirmwareLibrary library, IEnumerable<UpdatePlan> plans, string folder,
            IProgress<SavedFirmware>? progress, CancellationToken cancellationToken)
        {
            if (library == null) throw new ArgumentNullException(nameof(library));
            if (string.IsNullOrWhiteSpace(folder)) throw new ArgumentException("A destination folder must be given.", nameof(folder));
            var needed = Needed(plans);
            foreach (var item in needed)
            {
                cancellationToken.ThrowIfCancellationRequested();
                item.Status = DeviceStatus.DownloadingFirmware;
                progress?.Report(item);
                try
                {
                    item.Path = await library.SaveToFolderAsync(item.Package, folder, cancellationToken).ConfigureAwait(false);
                    item.Status = DeviceStatus.DownloadComplete;
                }
                catch (Exception ex) when (ex is FirmwareIntegrityException || ex is FirmwareNotAvailableException || ex is System.IO.IOException || ex is UnauthorizedAccessException)
                {
                    item.Status = DeviceStatus.DownloadUnsuccessful;
                    item.Error = ex.Message;
                }
                progress?.Report(item);
            }
            return needed;
        }
    }
}
