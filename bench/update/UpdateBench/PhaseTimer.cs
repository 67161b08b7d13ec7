using System;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Linq;
using SecureNmc.Core.Devices;
using SecureNmc.Core.Updates;

/// <summary>Bench tracing: how long cards spend in each status (from the engine's own events): mean and p95 per card.</summary>
sealed class PhaseTimer : IUpdateObserver
{
    private readonly ConcurrentDictionary<Guid, (DeviceStatus Status, Stopwatch Since)> _current = new();
    private readonly ConcurrentDictionary<(Guid, DeviceStatus), double> _spent = new();

    public void OnEvent(UpdateEvent e)
    {
        if (e is not CardStatusChanged c) return;
        if (_current.TryGetValue(c.DeviceId, out var previous))
            _spent.AddOrUpdate((c.DeviceId, previous.Status), previous.Since.Elapsed.TotalSeconds, (_, t) => t + previous.Since.Elapsed.TotalSeconds);
        _current[c.DeviceId] = (c.Status, Stopwatch.StartNew());
    }

    public string Summary() => string.Join(", ", _spent.GroupBy(p => p.Key.Item2).OrderBy(g => g.Key).Select(g =>
    {
        var times = g.Select(p => p.Value).OrderBy(t => t).ToList();
        return $"{g.Key}={times.Average():F3}/p95 {times[(int)(times.Count * 0.95)]:F3}";
    }));
}
