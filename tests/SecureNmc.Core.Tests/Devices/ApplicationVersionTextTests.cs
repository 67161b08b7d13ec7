using SecureNmc.Core.Devices;
using SecureNmc.Core.Licensing;
using SecureNmc.Core.Updates;

namespace SecureNmc.Core.Tests.Devices
{
    /// <summary>Versions read one way everywhere: "SU 2.9.0.1", never the file code "su 2.9.0.1".</summary>
    public class ApplicationVersionTextTests
    {
        [Theory]
        [InlineData(ApplicationType.SU, "2.9.0.1", "SU 2.9.0.1")]
        [InlineData(ApplicationType.RPDU2G, "2.5.0.6", "RPDU2G 2.5.0.6")]
        [InlineData(ApplicationType.SUCAN, "3.1.0.2", "SUCAN 3.1.0.2")]
        public void Formats_the_application_in_upper_case(ApplicationType type, string version, string expected) =>
            Assert.Equal(expected, ApplicationVersionText.Format(type, FirmwareVersion.Parse(version)));

        [Fact]
        public void Formats_nothing_when_either_part_is_unknown()
        {
            Assert.Null(ApplicationVersionText.Format(null, FirmwareVersion.Parse("2.9.0.1")));
            Assert.Null(ApplicationVersionText.Format(ApplicationType.SU, (FirmwareVersion?)null));
        }

        [Theory]
        [InlineData("su 2.5.0.6", "SU 2.5.0.6")]
        [InlineData("rpdu2g 2.9.0.1", "RPDU2G 2.9.0.1")]
        [InlineData("SU 2.5.0.6", "SU 2.5.0.6")]
        [InlineData("(unknown)", "(unknown)")]
        [InlineData("su", "su")]
        [InlineData("", "")]
        public void Normalizes_text_written_by_earlier_versions(string stored, string expected) =>
            Assert.Equal(expected, ApplicationVersionText.Normalize(stored));

        [Fact]
        public void An_update_result_shows_from_and_to_that_way()
        {
            var result = new CardUpdateResult
            {
                FromApplicationType = ApplicationType.SY, FromVersion = FirmwareVersion.Parse("2.5.0.6"),
                ToApplicationType = ApplicationType.SY, ToVersion = FirmwareVersion.Parse("2.9.0.1"),
            };
            Assert.Equal("SY 2.5.0.6", result.From);
            Assert.Equal("SY 2.9.0.1", result.To);
            Assert.Null(result.Reached);
        }

        [Fact]
        public void Update_history_from_an_old_journal_reads_the_same_way()
        {
            var device = System.Guid.NewGuid().ToString();
            var run = System.Guid.NewGuid().ToString();
            var states = UpdateHistory.Fold(new[]
            {
                new JournalRecord { Kind = JournalRecord.CardKind, RunId = run, DeviceId = device, DeviceName = "ups-1", Status = "Updating Firmware", From = "su 2.5.0.6", To = "su 2.9.0.1" },
                new JournalRecord { Kind = JournalRecord.CardFinishedKind, RunId = run, DeviceId = device, Status = "Update Complete", Reached = "su 2.9.0.1" },
            });
            var state = Assert.Single(states.Values);
            Assert.Equal("SU 2.5.0.6", state.From);
            Assert.Equal("SU 2.9.0.1", state.To);
            Assert.Equal("SU 2.9.0.1", state.Reached);
        }

        [Fact]
        public void A_subscription_note_and_an_activation_result_are_properties()
        {
            var withId = new SubscriptionStatus { ActivationId = "AID-SU-1Y", PartNumber = "SWNMC3SU-1Y-DIGI" };
            Assert.Equal("AID-SU-1Y SWNMC3SU-1Y-DIGI", withId.Note);
            Assert.Equal("expired", new SubscriptionStatus { ActivationId = "AID-SU-1Y", Warning = "expired" }.Note);
            Assert.Equal("bad", new SubscriptionStatus { Warning = "expired", Error = "bad" }.Note);
            Assert.Null(new SubscriptionStatus().Note);

            Assert.Equal("Renews", new ActivationOutcome { Succeeded = true, Effect = ActivationEffect.Renews }.Result);
            Assert.Equal("Failed: UnknownActivationId", new ActivationOutcome { ErrorCode = LicensingErrorCode.UnknownActivationId }.Result);
        }
    }
}
