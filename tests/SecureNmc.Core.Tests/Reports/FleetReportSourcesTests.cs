using System.IO;
using SecureNmc.Core.Firmware;
using SecureNmc.Core.Reports;
using SecureNmc.Core.Settings;
using SecureNmc.Core.Storage;
using SecureNmc.Core.Tests.TestSupport;

namespace SecureNmc.Core.Tests.Reports
{
    public class FleetReportSourcesTests
    {
        [Fact]
        public void Without_a_trusted_key_no_subscription_is_shown_and_the_report_says_why()
        {
            using var folder = new TempFolder();
            var fixture = new ReportFixture();
            var input = FleetReportSources.Gather(fixture.Devices, DataFolder.ForRoot(folder.Path), new NmcSettings(), FirmwareCatalog.Empty,
                Path.Combine(folder.Path, "no-journal.jsonl"), ReportFixture.Now);
            Assert.Empty(input.Subscriptions);
            Assert.Contains("Set-NmcSetting -LicensingServiceKey", input.SubscriptionNote);
            Assert.Empty(input.Journal);
            var report = FleetReportBuilder.Build(input);
            Assert.Equal(fixture.Devices.Count, report.SubscriptionsNone);
            Assert.Contains("Set-NmcSetting -LicensingServiceKey", FleetReportHtmlWriter.Write(report));
        }
    }
}
