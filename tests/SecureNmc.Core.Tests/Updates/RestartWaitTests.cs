using System;
using System.Collections.Concurrent;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using SecureNmc.Core.Devices;
using SecureNmc.Core.Tests.TestSupport;
using SecureNmc.Core.Updates;

namespace SecureNmc.Core.Tests.Updates
{
    public class RestartWaitTests
    {
        [Fact]
        public async Task Polls_a_restarting_card_with_doubling_back_off_capped_at_the_maximum()
        {
            using var h = new EngineHarness((ApplicationType.SU, "2.5.0.6"));
            h.Options.RestartPollInitial = TimeSpan.FromSeconds(5);
            h.Options.RestartPollMax = TimeSpan.FromSeconds(30);
            h.Fleet.Add(new FakeCard("ups-r", ApplicationType.SU, "2.4.0.1") { DownReadsAfterUpload = 6 });
            var clock = new RecordingClock(h.Clock);
            var engine = new FirmwareUpdateEngine(h.Fleet.Sessions, h.Fleet, h.Library, h.Options, clock);

            var result = (await h.Finish(engine.Start(h.PlanFleet(), h.Events))).Single();

            Assert.Equal(DeviceStatus.UpdateComplete, result.Status);
            // One wait before the drop is seen, then back-off while the card is down: 5, 10, 20, 30, 30.
            Assert.Equal(new[] { 5, 5, 10, 20, 30, 30 }, clock.Delays.Select(d => (int)d.TotalSeconds).ToArray());
        }

        [Fact]
        public async Task By_default_a_restarting_card_is_polled_at_most_ten_seconds_apart()
        {
            // A card that is back is noticed on average half the longest pause late, and its slot waits for that.
            using var h = new EngineHarness((ApplicationType.SU, "2.5.0.6"));
            h.Fleet.Add(new FakeCard("ups-d", ApplicationType.SU, "2.4.0.1") { DownReadsAfterUpload = 6 });
            var clock = new RecordingClock(h.Clock);
            var engine = new FirmwareUpdateEngine(h.Fleet.Sessions, h.Fleet, h.Library, h.Options, clock);

            var result = (await h.Finish(engine.Start(h.PlanFleet(), h.Events))).Single();

            Assert.Equal(DeviceStatus.UpdateComplete, result.Status);
            Assert.Equal(new[] { 5, 5, 10, 10, 10, 10 }, clock.Delays.Select(d => (int)d.TotalSeconds).ToArray());
        }

        [Fact]
        public async Task The_return_limit_is_measured_on_the_injected_clock()
        {
            using var h = new EngineHarness((ApplicationType.SU, "2.5.0.6"));
            h.Options.MaxAttempts = 1;
            h.Options.RestartReturnTimeout = TimeSpan.FromMinutes(3);
            h.Fleet.Add(new FakeCard("ups-gone", ApplicationType.SU, "2.4.0.1") { NeverReturns = true });
            var clock = new RecordingClock(h.Clock);
            var engine = new FirmwareUpdateEngine(h.Fleet.Sessions, h.Fleet, h.Library, h.Options, clock);

            var result = (await h.Finish(engine.Start(h.PlanFleet(), h.Events))).Single();

            Assert.Equal(DeviceStatus.UpdateError, result.Status);
            Assert.Contains("did not come back within 3 minutes", result.Error);
            var waited = TimeSpan.FromTicks(clock.Delays.Sum(d => d.Ticks));
            Assert.InRange(waited.TotalMinutes, 3, 4); // stops within one poll of the limit, no real time spent
        }

        private sealed class RecordingClock : IUpdateClock
        {
            private readonly VirtualClock _inner;
            public RecordingClock(VirtualClock inner) => _inner = inner;
            public ConcurrentQueue<TimeSpan> Delays { get; } = new ConcurrentQueue<TimeSpan>();
            public DateTimeOffset UtcNow => _inner.UtcNow;

            public Task Delay(TimeSpan delay, CancellationToken cancellationToken)
            {
                Delays.Enqueue(delay);
                return _inner.Delay(delay, cancellationToken);
            }
        }
    }
}
