using System;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using SecureNmc.Core.Devices;
using SecureNmc.Core.Tests.TestSupport;
using SecureNmc.Core.Updates;

namespace SecureNmc.Core.Tests.Updates
{
    public class DownloadOnlyTests
    {
        [Fact]
        public async Task Writes_each_needed_package_once_including_intermediates_and_nothing_for_current_cards()
        {
            using var h = new EngineHarness((ApplicationType.SU, "2.3.1.1"), (ApplicationType.SU, "2.5.0.6"), (ApplicationType.SY, "2.5.0.6"), (ApplicationType.PX, "2.5.0.6"));
            h.Fleet.Add(new FakeCard("old-su", ApplicationType.SU, "2.2.0.0"));
            h.Fleet.Add(new FakeCard("su", ApplicationType.SU, "2.4.0.1"));
            h.Fleet.Add(new FakeCard("sy", ApplicationType.SY, "2.4.0.1"));
            h.Fleet.Add(new FakeCard("px-current", ApplicationType.PX, "2.5.0.6"));
            var folder = Path.Combine(h.Temp.Path, "deploy");

            var saved = await FirmwareDownloadOnly.SaveAsync(h.Library, h.PlanFleet(), folder, null, CancellationToken.None);

            Assert.Equal(new[] { "apc_hw21_su_2.3.1.1.nmc3", "apc_hw21_su_2.5.0.6.nmc3", "apc_hw21_sy_2.5.0.6.nmc3" }, saved.Select(s => s.FileName));
            Assert.All(saved, s => Assert.Equal(DeviceStatus.DownloadComplete, s.Status));
            Assert.Equal(new[] { "old-su", "su" }, saved[1].Devices.OrderBy(d => d));
            Assert.Equal(3, Directory.GetFiles(folder).Length);
            Assert.All(saved, s => Assert.Equal(s.Package.Sha256, TestFirmware.Sha256Of(s.Path!)));
            Assert.All(h.Fleet.Cards, c => Assert.Empty(c.Uploads)); // nothing touches a card
        }

        [Fact]
        public async Task A_tampered_package_is_download_unsuccessful_and_the_others_are_still_written()
        {
            using var h = new EngineHarness((ApplicationType.SU, "2.5.0.6"), (ApplicationType.SY, "2.5.0.6"));
            h.Fleet.Add(new FakeCard("su", ApplicationType.SU, "2.4.0.1"));
            h.Fleet.Add(new FakeCard("sy", ApplicationType.SY, "2.4.0.1"));
            var plans = h.PlanFleet();
            File.AppendAllText(h.Library.PathOf(plans.First(p => p.DeviceName == "su").TargetPackage!), "x");
            var folder = Path.Combine(h.Temp.Path, "deploy");

            var saved = (await FirmwareDownloadOnly.SaveAsync(h.Library, plans, folder, null, CancellationToken.None)).ToDictionary(s => s.Package.ApplicationType);

            Assert.Equal(DeviceStatus.DownloadUnsuccessful, saved[ApplicationType.SU].Status);
            Assert.Contains("truncated or altered", saved[ApplicationType.SU].Error);
            Assert.Equal(DeviceStatus.DownloadComplete, saved[ApplicationType.SY].Status);
            Assert.Equal(new[] { "apc_hw21_sy_2.5.0.6.nmc3" }, Directory.GetFiles(folder).Select(Path.GetFileName));
        }

        [Fact]
        public void Catalog_query_filters_by_type_and_latest()
        {
            using var temp = new TempFolder();
            var lib = TestFirmware.Library(temp.Path, (ApplicationType.SU, "2.4.0.1"), (ApplicationType.SU, "2.5.0.6"), (ApplicationType.SY, "2.5.0.6"));
            var catalog = lib.GetCatalog();
            Assert.Equal(2, catalog.Query(ApplicationType.SU).Count);
            Assert.Equal(new[] { "apc_hw21_su_2.5.0.6.nmc3", "apc_hw21_sy_2.5.0.6.nmc3" }, catalog.Query(latestOnly: true).Select(p => p.FileName).OrderBy(n => n));
            Assert.Empty(catalog.Query(hardware: 5));
        }
    }
}
