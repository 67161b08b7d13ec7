using System;
using System.IO;
using System.Threading.Tasks;
using SecureNmc.Core.Devices;
using SecureNmc.Simulator.Cards;
using SecureNmc.Simulator.Firmware;
using static SecureNmc.Core.Tests.Simulator.SimulatorTestKit;

namespace SecureNmc.Core.Tests.Simulator
{
    /// <summary>The card-side behaviour of the issue-13 faults, without any wire (the campaign covers the wire).</summary>
    public class NewFaultBehaviourTests
    {
        private static byte[] Package() => new SimulatorFirmwarePackage("hw21", ApplicationType.SU, "2.6.0.4", "2.6.0.3", null).ToBytes(50_000);

        [Fact]
        public async Task A_card_slow_to_start_installing_keeps_serving_its_old_version_refuses_a_second_package_then_installs_once()
        {
            using var fleet = InstantFleet(1, i => new CardProfile { ApplicationType = ApplicationType.SU, ApplicationVersion = "2.5.0.6", AosVersion = "2.5.0.6" });
            var card = fleet.Cards[0];
            fleet.Clock.TimeScale = 0.001;
            card.Timing.InstallStartDelay = TimeSpan.FromMinutes(3); // 180 ms real
            card.Faults.SlowToStartInstalling = true;
            var login = await Within(card.LoginAsync(CardProtocol.Ssh, "admin", "Admin!2345", null, Token));
            var session = login.Session!;
            var bytes = Package();

            var first = await Within(session.ReceiveUploadAsync("apc_hw21_su_2.6.0.3.nmc3", new MemoryStream(bytes), bytes.Length, Token));
            Assert.True(first.Accepted, first.Message);
            Assert.Equal(CardState.Running, card.State);
            Assert.True(session.IsOpen, "the card dropped the session although it did not restart");
            var second = await Within(session.ReceiveUploadAsync("apc_hw21_su_2.6.0.3.nmc3", new MemoryStream(bytes), bytes.Length, Token));
            Assert.False(second.Accepted);
            Assert.Contains("already in progress", second.Message);
            Assert.Equal("2.5.0.6", card.Profile.ApplicationVersion);

            await Task.Delay(TimeSpan.FromSeconds(1));
            await Within(card.WaitUntilRunningAsync(Token));
            Assert.Equal("2.6.0.3", card.Profile.ApplicationVersion);
            Assert.Equal(1, card.FirmwareUpdatesApplied);
        }

        [Fact]
        public async Task A_flapping_link_drops_and_returns_after_the_restart_and_then_stays_up()
        {
            using var fleet = InstantFleet(1, i => new CardProfile { ApplicationType = ApplicationType.SU });
            var card = fleet.Cards[0];
            fleet.Clock.TimeScale = 0.001;
            card.Timing.LinkFlapDuration = TimeSpan.FromSeconds(60); // 60 ms real
            card.Timing.LinkFlaps = 2;
            card.Faults.FlappingLink = true;
            var login = await Within(card.LoginAsync(CardProtocol.Ssh, "admin", "Admin!2345", null, Token));
            var bytes = Package();
            Assert.True((await Within(login.Session!.ReceiveUploadAsync("apc_hw21_su_2.6.0.3.nmc3", new MemoryStream(bytes), bytes.Length, Token))).Accepted);
            await Within(card.WaitUntilRunningAsync(Token));

            bool sawDown = false;
            var until = DateTime.UtcNow.AddSeconds(2);
            while (DateTime.UtcNow < until && !sawDown)
            {
                if (card.LinkDown)
                {
                    sawDown = true;
                    Assert.NotNull(card.ConnectionRefusal(CardProtocol.Ssh));
                }
                await Task.Delay(5);
            }
            Assert.True(sawDown, "the link never dropped");
            // Then it settles: up for a whole stretch several times the flap length. Waited for, not
            // timed, so a loaded machine's late timers cannot fail it.
            var settled = DateTime.UtcNow.AddSeconds(20);
            var upSince = DateTime.UtcNow;
            while (DateTime.UtcNow < settled && DateTime.UtcNow - upSince < TimeSpan.FromMilliseconds(500))
            {
                if (card.LinkDown) upSince = DateTime.UtcNow;
                await Task.Delay(5);
            }
            Assert.False(card.LinkDown);
            Assert.Null(card.ConnectionRefusal(CardProtocol.Ssh));
            Assert.Equal(1, card.FirmwareUpdatesApplied);
        }
    }
}
