using System;
using System.Threading;
using System.Threading.Tasks;

namespace SecureNmc.Simulator.Cards
{
    /// <summary>
    /// Turns simulated durations into real ones: TimeScale 1 = real speed (a rehearsal), 0.01 = a hundred
    /// times faster, 0 = no waiting at all (unit tests). Shared by all cards of a fleet.
    /// </summary>
    public sealed class SimulatorClock
    {
        public SimulatorClock(double timeScale = 1.0)
        {
            TimeScale = timeScale;
        }

        private double _timeScale;

        public double TimeScale
        {
            get => _timeScale;
            set
            {
                if (value < 0 || double.IsNaN(value) || double.IsInfinity(value))
                    throw new ArgumentOutOfRangeException(nameof(value), value, "The time scale must be a finite number of at least 0 (0 = no delays, 1 = real time).");
                _timeScale = value;
            }
        }

        /// <summary>The card's local wall-clock time (what it writes in files and events).</summary>
        public DateTime Now => DateTime.Now;

        public TimeSpan ToReal(TimeSpan simulated)
        {
            if (simulated <= TimeSpan.Zero || _timeScale == 0) return TimeSpan.Zero;
            var ticks = simulated.Ticks * _timeScale;
            return ticks >= TimeSpan.MaxValue.Ticks / 2 ? TimeSpan.FromDays(3650) : TimeSpan.FromTicks((long)ticks);
        }

        /// <summary>Waits the scaled duration (yields when it is zero); honours cancellation.</summary>
        public Task DelayAsync(TimeSpan simulated, CancellationToken cancellationToken)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var real = ToReal(simulated);
            if (real <= TimeSpan.Zero) return Task.CompletedTask;
            var ms = real.TotalMilliseconds >= int.MaxValue ? int.MaxValue - 1 : Math.Max(1, (int)Math.Ceiling(real.TotalMilliseconds));
            return Task.Delay(ms, cancellationToken);
        }
    }
}
