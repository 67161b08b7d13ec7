using System;
using SecureNmc.Core.Licensing;

namespace SecureNmc.Simulator.Licensing
{
    /// <summary>A settable clock: tests move the service (and the client) to any day, e.g. the eve of an expiry.</summary>
    public sealed class SimulatedClock : ILicensingClock
    {
        private readonly object _gate = new object();
        private DateTimeOffset _now;

        public SimulatedClock(DateTimeOffset start) => _now = start;

        public static SimulatedClock OnDay(int year, int month, int day) =>
            new SimulatedClock(new DateTimeOffset(year, month, day, 12, 0, 0, TimeSpan.Zero));

        public DateTimeOffset UtcNow { get { lock (_gate) return _now; } }

        public void Set(DateTimeOffset now) { lock (_gate) _now = now; }
        public void SetDay(DateTime day) => Set(new DateTimeOffset(DateTime.SpecifyKind(day.Date, DateTimeKind.Utc).AddHours(12)));
        public void Advance(TimeSpan by) { lock (_gate) _now = _now.Add(by); }
        public void AdvanceDays(int days) => Advance(TimeSpan.FromDays(days));
    }
}
