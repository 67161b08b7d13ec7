using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using SecureNmc.Core.Devices;
using SecureNmc.Core.Tests.TestSupport;
using SecureNmc.Core.Transport;
using SecureNmc.Core.Updates;

namespace SecureNmc.Core.Tests.Updates
{
    /// <summary>
    /// A flapping link: the card comes back on the new firmware, answers the restart wait, and drops
    /// again the moment it is read once more to verify. The update it took is complete: one attempt,
    /// one upload, not "Update Error" and a second try.
    /// </summary>
    public class FlappingLinkTests
    {
        [Fact]
        public async Task A_link_that_drops_again_right_after_the_card_came_back_does_not_fail_the_update()
        {
            using var h = new EngineHarness((ApplicationType.SU, "2.5.0.6"));
            var card = h.Fleet.Add(new FakeCard("ups-flap", ApplicationType.SU, "2.4.0.1"));
            var reader = new DropsAfterComingBack(h.Fleet, card);
            var engine = new FirmwareUpdateEngine(h.Fleet.Sessions, reader, h.Library, h.Options, h.Clock);

            var result = (await h.Finish(engine.Start(h.PlanFleet(), h.Events))).Single();

            Assert.True(result.Status == DeviceStatus.UpdateComplete, result.ToString());
            Assert.Equal(1, result.Attempts);
            Assert.Single(card.Uploads);
            Assert.Equal("2.5.0.6", result.ReachedVersion?.ToString());
            Assert.True(reader.Dropped, "the link never dropped: the test proves nothing");
        }

        /// <summary>Reads through the fake fleet; the first read after the one that saw the new version fails as a dropped link.</summary>
        private sealed class DropsAfterComingBack : IDeviceVersionReader
        {
            private readonly FakeFleet _fleet;
            private readonly FakeCard _card;
            private int _backReads;

            public DropsAfterComingBack(FakeFleet fleet, FakeCard card)
            {
                _fleet = fleet;
                _card = card;
            }

            public bool Dropped { get; private set; }

            public async Task<DeviceVersions> ReadAsync(NmcDevice device, CancellationToken cancellationToken)
            {
                var versions = await _fleet.ReadAsync(device, cancellationToken);
                if (versions.ApplicationVersion.ToString() != "2.5.0.6") return versions;
                if (Interlocked.Increment(ref _backReads) == 2)
                {
                    Dropped = true;
                    throw new FileTransferException(TransferFailureKind.CannotConnect, _card.Host, $"{_card.Host}: connection refused (link down).");
                }
                return versions;
            }
        }
    }
}
