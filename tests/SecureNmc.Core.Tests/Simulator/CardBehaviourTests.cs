using System.IO;
using System.Linq;
using System.Threading.Tasks;
using SecureNmc.Core.Devices;
using SecureNmc.Simulator.Cards;
using SecureNmc.Simulator.Firmware;
using static SecureNmc.Core.Tests.Simulator.SimulatorTestKit;

namespace SecureNmc.Core.Tests.Simulator
{
    public class CardBehaviourTests
    {
        private static byte[] Package(ApplicationType type = ApplicationType.SU, string app = "2.6.0.3", string aos = "2.6.0.4", string? boot = null, string hw = "hw21") =>
            new SimulatorFirmwarePackage(hw, type, aos, app, boot).ToBytes(50_000);

        private static async Task<CardSession> Admin(SimulatedCard card) =>
            (await Within(card.LoginAsync(CardProtocol.Ssh, "admin", "Admin!2345", null, Token))).Session!;

        private static Task<CardUploadResult> Upload(CardSession s, byte[] bytes, string name = "apc_hw21_su_2.6.0.3.nmc3") =>
            Within(s.ReceiveUploadAsync(name, new MemoryStream(bytes), bytes.Length, Token));

        [Fact]
        public async Task An_accepted_package_restarts_the_card_which_comes_back_updated_with_an_event()
        {
            using var fleet = InstantFleet(1, i => new CardProfile { ApplicationType = ApplicationType.SU });
            var card = fleet.Cards[0];
            card.Timing.RestartDuration = System.TimeSpan.FromMinutes(5);
            fleet.Clock.TimeScale = 1e-9; // keeps the card "restarting" briefly but measurably
            var session = await Admin(card);
            var result = await Upload(session, Package(boot: "1.6.0.1"));
            Assert.True(result.Accepted, result.Message);
            Assert.False(session.IsOpen);
            Assert.True(session.Dropped.IsCancellationRequested);
            await Within(card.WaitUntilRunningAsync(Token));
            Assert.Equal(CardState.Running, card.State);
            Assert.Equal("2.6.0.3", card.Profile.ApplicationVersion);
            Assert.Equal("2.6.0.4", card.Profile.AosVersion);
            Assert.Equal("1.6.0.1", card.Profile.BootloaderVersion);
            Assert.Equal(CardEvent.FirmwareUpdatedText, card.Events[0].Text);
            Assert.Equal(1, card.FirmwareUpdatesApplied);
        }

        [Fact]
        public async Task A_restarting_card_refuses_connections_until_it_is_back()
        {
            using var fleet = InstantFleet(1, i => new CardProfile());
            var card = fleet.Cards[0];
            fleet.Clock.TimeScale = 1;
            card.Timing.RestartDuration = System.TimeSpan.FromHours(1);
            var result = await Upload(await Admin(card), Package());
            Assert.True(result.Accepted);
            Assert.Equal(CardState.Restarting, card.State);
            var login = await card.LoginAsync(CardProtocol.Ssh, "admin", "Admin!2345", null, Token);
            Assert.Equal(CardLoginFailure.ConnectionRefused, login.Failure);
            Assert.Contains("restarting", login.Message);
            card.PowerCycle();
            Assert.True((await card.LoginAsync(CardProtocol.Ssh, "admin", "Admin!2345", null, Token)).Succeeded);
            Assert.Equal("2.5.0.6", card.Profile.ApplicationVersion); // power-cycled before the install finished
        }

        [Fact]
        public async Task A_package_without_bootloader_keeps_the_bootloader()
        {
            using var fleet = InstantFleet(1, i => new CardProfile());
            var card = fleet.Cards[0];
            await Upload(await Admin(card), Package());
            await Within(card.WaitUntilRunningAsync(Token));
            Assert.Equal("1.5.1.1", card.Profile.BootloaderVersion);
        }

        [Fact]
        public async Task Wrong_hardware_is_rejected_with_the_cards_text_and_the_session_stays()
        {
            using var fleet = InstantFleet(1);
            var card = fleet.Cards[0];
            var session = await Admin(card);
            var result = await Upload(session, Package(hw: "hw05"));
            Assert.False(result.Accepted);
            Assert.Contains("hw05", result.Message);
            Assert.StartsWith("Firmware upgrade failed", result.Message);
            Assert.True(session.IsOpen);
            Assert.Equal(CardState.Running, card.State);
            Assert.Equal(0, card.FirmwareUpdatesApplied);
        }

        [Fact]
        public async Task A_card_that_cannot_change_type_rejects_another_application()
        {
            using var fleet = InstantFleet(1, i => new CardProfile { ApplicationType = ApplicationType.RPDU2G });
            var result = await Upload(await Admin(fleet.Cards[0]), Package(ApplicationType.SU));
            Assert.False(result.Accepted);
            Assert.Contains("cannot change to su", result.Message);
        }

        [Fact]
        public async Task A_permitted_type_change_restores_factory_settings()
        {
            using var fleet = InstantFleet(1, i => new CardProfile { ApplicationType = ApplicationType.SU, SystemName = "Prod UPS", SystemLocation = "DC1" });
            var card = fleet.Cards[0];
            card.FactoryResetRestoresDefaultUsers = true;
            var result = await Upload(await Admin(card), Package(ApplicationType.SY), "apc_hw21_sy_2.6.0.3.nmc3");
            Assert.True(result.Accepted);
            await Within(card.WaitUntilRunningAsync(Token));
            Assert.Equal(ApplicationType.SY, card.Profile.ApplicationType);
            Assert.Equal("Unknown", card.Profile.SystemLocation);
            Assert.StartsWith("apc", card.Profile.SystemName);
            Assert.Contains(card.Events, e => e.Text.Contains("factory defaults"));
            Assert.Contains(card.Events, e => e.Text == CardEvent.FirmwareUpdatedText);
            Assert.Equal(CardUserKind.FactoryDefault, Assert.Single(card.Users).Kind);
        }

        [Fact]
        public async Task A_device_user_may_read_but_not_upload()
        {
            using var fleet = InstantFleet(1);
            var card = fleet.Cards[0];
            var login = await card.LoginAsync(CardProtocol.Ftp, "device", "Device!2345", null, Token);
            Assert.Equal(CardLoginFailure.ConnectionRefused, login.Failure); // FTP is off by default
            card.FtpEnabled = true;
            using var session = (await card.LoginAsync(CardProtocol.Ftp, "device", "Device!2345", null, Token)).Session!;
            Assert.NotEmpty(await session.ReadFileAsync("config.ini", Token));
            var bytes = Package();
            var ex = await Assert.ThrowsAsync<CardOperationException>(() => session.ReceiveUploadAsync("apc_hw21_su_2.6.0.3.nmc3", new MemoryStream(bytes), bytes.Length, Token));
            Assert.Equal(CardErrorKind.PermissionDenied, ex.Kind);
        }

        [Fact]
        public async Task Mfa_factory_and_wrong_password_logins_fail_with_the_cards_messages()
        {
            using var fleet = InstantFleet(1);
            var card = fleet.Cards[0];
            var mfa = await card.LoginAsync(CardProtocol.Ssh, "mfauser", "Mfa!23456", null, Token);
            Assert.Equal(CardLoginFailure.MultiFactorRequired, mfa.Failure);
            Assert.Equal(SimulatedCard.DefaultMfaMessage, mfa.Message);
            var factory = await card.LoginAsync(CardProtocol.Ssh, "apc", "apc", null, Token);
            Assert.Equal(CardLoginFailure.PasswordChangeRequired, factory.Failure);
            Assert.Contains("Enter current password", factory.Message);
            var wrong = await card.LoginAsync(CardProtocol.Ssh, "admin", "nope", null, Token);
            Assert.Equal(CardLoginFailure.BadCredentials, wrong.Failure);
            Assert.Equal(0, card.ActiveSessionCount);
        }

        [Fact]
        public async Task One_session_at_a_time_a_second_gets_max_logins_exceeded()
        {
            using var fleet = InstantFleet(1);
            var card = fleet.Cards[0];
            var first = await Admin(card);
            var second = await card.LoginAsync(CardProtocol.Ssh, "device", "Device!2345", null, Token);
            Assert.Equal(CardLoginFailure.SessionLimitReached, second.Failure);
            Assert.Equal("Max logins exceeded.", second.Message);
            first.Dispose();
            Assert.True((await card.LoginAsync(CardProtocol.Ssh, "device", "Device!2345", null, Token)).Succeeded);
        }

        [Fact]
        public async Task Fault_drop_mid_upload_cuts_the_session_and_leaves_the_firmware()
        {
            using var fleet = InstantFleet(1);
            var card = fleet.Cards[0];
            card.Faults.DropUploadAfterBytes = 20_000;
            var session = await Admin(card);
            var ex = await Assert.ThrowsAsync<CardOperationException>(() => Upload(session, Package()));
            Assert.Equal(CardErrorKind.ConnectionDropped, ex.Kind);
            Assert.Contains("20000 of", ex.Message);
            Assert.False(session.IsOpen);
            Assert.Equal(0, card.ActiveSessionCount);
            Assert.Equal("2.5.0.6", card.Profile.ApplicationVersion);
        }

        [Fact]
        public async Task Fault_corrupt_received_file_fails_the_integrity_check()
        {
            using var fleet = InstantFleet(1);
            var card = fleet.Cards[0];
            card.Faults.CorruptReceivedFile = true;
            var result = await Upload(await Admin(card), Package());
            Assert.False(result.Accepted);
            Assert.Contains("integrity", result.Message);
        }

        [Fact]
        public async Task Fault_never_come_back_leaves_the_card_offline()
        {
            using var fleet = InstantFleet(1);
            var card = fleet.Cards[0];
            card.Faults.NeverComeBack = true;
            var offline = new TaskCompletionSource<bool>();
            card.StateChanged += (_, s) => { if (s == CardState.Offline) offline.TrySetResult(true); };
            Assert.True((await Upload(await Admin(card), Package())).Accepted);
            await Within(offline.Task);
            Assert.Equal(CardLoginFailure.ConnectionRefused, (await card.LoginAsync(CardProtocol.Ssh, "admin", "Admin!2345", null, Token)).Failure);
        }

        [Fact]
        public async Task Fault_come_back_on_old_version_restarts_without_updating()
        {
            using var fleet = InstantFleet(1);
            var card = fleet.Cards[0];
            card.Faults.ComeBackOnOldVersion = true;
            Assert.True((await Upload(await Admin(card), Package())).Accepted);
            await Within(card.WaitUntilRunningAsync(Token));
            Assert.Equal("2.5.0.6", card.Profile.ApplicationVersion);
            Assert.DoesNotContain(card.Events, e => e.Text == CardEvent.FirmwareUpdatedText);
        }

        [Fact]
        public async Task Non_package_uploads_are_refused()
        {
            using var fleet = InstantFleet(1);
            var result = await Upload(await Admin(fleet.Cards[0]), new byte[] { 1, 2, 3 }, "config.ini");
            Assert.False(result.Accepted);
            Assert.Contains(".nmc3", result.Message);
        }

        [Fact]
        public void Time_scale_converts_simulated_durations()
        {
            var clock = new SimulatorClock(0.01);
            Assert.Equal(System.TimeSpan.FromSeconds(1.2), clock.ToReal(System.TimeSpan.FromMinutes(2)));
            clock.TimeScale = 0;
            Assert.Equal(System.TimeSpan.Zero, clock.ToReal(System.TimeSpan.FromMinutes(2)));
            Assert.Throws<System.ArgumentOutOfRangeException>(() => clock.TimeScale = -1);
        }

        [Fact]
        public void Different_host_key_fault_presents_another_key()
        {
            using var fleet = InstantFleet(1);
            var card = fleet.Cards[0];
            var original = card.PresentedHostKey.Fingerprint;
            Assert.StartsWith("SHA256:", original);
            card.Faults.PresentDifferentHostKey = true;
            Assert.NotEqual(original, card.PresentedHostKey.Fingerprint);
            Assert.Equal(original, card.HostKey.Fingerprint);
        }
    }
}
