using System;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;

namespace SecureNmc.Simulator.Cards
{
    /// <summary>
    /// Holds an upload to the card's rate against the whole upload's schedule, not chunk by chunk:
    /// timer granularity and a late wake-up then cost nothing overall (the next chunk catches up), so
    /// the file arrives at the card's rate as on a real link, also when time is compressed a
    /// hundredfold (per-chunk waits of about a millisecond used to double a compressed upload's time).
    /// </summary>
    internal sealed class UploadPacer
    {
        /// <summary>How far (real time) an upload may fall behind its schedule and still catch up without a pause.</summary>
        private static readonly TimeSpan MaxCatchUp = TimeSpan.FromMilliseconds(100);

        private readonly SimulatorClock _clock;
        private readonly double _bytesPerSecond;
        private readonly Stopwatch _sinceScheduleStart = Stopwatch.StartNew();
        private long _scheduleStartBytes;

        public UploadPacer(SimulatorClock clock, double bytesPerSecond)
        {
            _clock = clock;
            _bytesPerSecond = bytesPerSecond;
        }

        /// <summary>Waits until <paramref name="bytesSoFar"/> are due at the card's rate (returns at once when behind).</summary>
        public async Task WaitForScheduleAsync(long bytesSoFar, CancellationToken cancellationToken)
        {
            var due = _clock.ToReal(TimeSpan.FromSeconds((bytesSoFar - _scheduleStartBytes) / _bytesPerSecond)) - _sinceScheduleStart.Elapsed;
            if (due > TimeSpan.Zero)
                await Task.Delay(due, cancellationToken).ConfigureAwait(false);
            else if (-due > MaxCatchUp)
            {
                // A sender that stalled for longer than a late timer could explain gets no burst afterwards:
                // the schedule restarts, as an idle link does not bank bandwidth.
                _sinceScheduleStart.Restart();
                _scheduleStartBytes = bytesSoFar;
            }
            cancellationToken.ThrowIfCancellationRequested();
        }
    }
}
