using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using SecureNmc.Core.Devices;
using SecureNmc.Core.Inventory;

namespace SecureNmc.Core.DataExchange
{
    /// <summary>
    /// Cards "in flight" (docs/scale-out.md): on the controller, a card handed over to a worker with
    /// Export-NmcBundle -HandOverTo is held as it was handed over until the worker's results are
    /// imported (Import-NmcBundle clears the mark) or it is taken back (Set-NmcDevice -TakeBack).
    /// Meanwhile the controller neither updates nor queries it: the worker does. The mark lives in
    /// <see cref="NmcDevice.HandedOverTo"/> / <see cref="NmcDevice.HandedOverAt"/> and is set and
    /// cleared through <see cref="InventoryTransaction.SetHandOver"/>, which keeps the record's revision.
    /// </summary>
    public static class DeviceHandOver
    {
        public const int MaxWorkerNameLength = 128;

        /// <summary>What to do about a card in flight, for error records' recommended action.</summary>
        public const string WhatToDo =
            "Import the worker's results (Import-NmcBundle -Conflict Overwrite), or, if the worker is lost for good, take the card back with Set-NmcDevice -TakeBack.";

        /// <summary>Null when <paramref name="worker"/> names a worker; otherwise why not. <paramref name="normalized"/> is the trimmed name.</summary>
        public static string? ValidateWorker(string? worker, out string normalized)
        {
            normalized = "";
            if (worker == null || worker.Trim().Length == 0)
                return "The worker name given to -HandOverTo is empty: name the worker that takes the cards over (for example 'berlin-worker').";
            var trimmed = worker.Trim();
            if (trimmed.Length > MaxWorkerNameLength)
                return $"The worker name given to -HandOverTo is {trimmed.Length} characters long; at most {MaxWorkerNameLength} are allowed.";
            if (trimmed.Any(char.IsControl))
                return "The worker name given to -HandOverTo contains a control character (a tab or line break, for example); use letters, digits and punctuation only.";
            normalized = trimmed;
            return null;
        }

        /// <summary>"2026-12-03 17:40 UTC", or "an unknown time" for a mark written without one.</summary>
        public static string Since(NmcDevice device) =>
            device.HandedOverAt?.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture) ?? "an unknown time";

        /// <summary>"handed over to berlin-worker at 2026-12-03 17:40 UTC".</summary>
        public static string Describe(NmcDevice device) => $"handed over to {device.HandedOverTo} at {Since(device)}";

        /// <summary>The StatusDetail Get-NmcDevice shows for a card in flight.</summary>
        public static string StatusDetail(NmcDevice device) =>
            $"Handed over to {device.HandedOverTo} at {Since(device)}; the worker updates it until its results are imported (Import-NmcBundle -Conflict Overwrite) or the card is taken back (Set-NmcDevice -TakeBack).";

        /// <summary>
        /// The refusal of <paramref name="action"/> ("update", "query") on a card in flight: names the
        /// card, the worker and the time, and says what to do.
        /// </summary>
        public static string Refusal(NmcDevice device, string action) =>
            $"{InFlightSince(device)}, so this inventory does not {action} it; the worker does. {WhatToDo}";

        /// <summary>
        /// The warning for removing a card in flight from this inventory (Remove-NmcDevice): the worker
        /// still has it and goes on updating it, and importing its results later adds the card back.
        /// Removal is not refused: a card may leave the fleet for good while a worker holds it.
        /// </summary>
        public static string RemovalWarning(NmcDevice device) =>
            $"{InFlightSince(device)}. Removing it here does not stop that worker, " +
            "and importing the worker's results later (Import-NmcBundle) adds the card back. To keep it out, remove it from the worker's inventory too.";

        /// <summary>"UPS 1 (10.0.0.1) is in flight: it was handed over to berlin-worker at …", the opening of the refusal and the warning.</summary>
        private static string InFlightSince(NmcDevice device) => $"{device.DisplayName} ({device.Host}) is in flight: it was {Describe(device)}";

        /// <summary>For display (Get-NmcDevice): a card in flight shows the status In Flight and who has it. Changes the given copy.</summary>
        public static NmcDevice Present(NmcDevice device)
        {
            if (device == null) throw new ArgumentNullException(nameof(device));
            if (device.IsInFlight)
            {
                device.Status = DeviceStatus.InFlight;
                device.StatusDetail = StatusDetail(device);
            }
            return device;
        }

        /// <summary>The devices this inventory may work on itself, and those in flight at a worker.</summary>
        public static (List<NmcDevice> Free, List<NmcDevice> InFlight) Split(IEnumerable<NmcDevice> devices)
        {
            var free = new List<NmcDevice>();
            var away = new List<NmcDevice>();
            foreach (var d in devices) (d.IsInFlight ? away : free).Add(d);
            return (free, away);
        }

        /// <summary>"3 card(s) in flight (berlin-worker: 2, paris-worker: 1)".</summary>
        public static string Summary(IReadOnlyCollection<NmcDevice> inFlight) =>
            $"{inFlight.Count} card(s) in flight (" +
            string.Join(", ", inFlight.GroupBy(d => d.HandedOverTo, StringComparer.OrdinalIgnoreCase).OrderBy(g => g.Key, StringComparer.OrdinalIgnoreCase).Select(g => $"{g.Key}: {g.Count()}")) + ")";

        /// <summary>
        /// Takes one device back within a transaction (Set-NmcDevice -TakeBack, with or without other
        /// edits in the same transaction): clears the mark, keeping the revision. Returns the stored
        /// record, or null when the device is not in flight (nothing changed).
        /// </summary>
        public static NmcDevice? TakeBack(InventoryTransaction tx, Guid id)
        {
            if (tx == null) throw new ArgumentNullException(nameof(tx));
            var device = tx.FindById(id) ?? throw new DeviceNotFoundException(id);
            return device.IsInFlight ? tx.SetHandOver(id, null, null) : null;
        }

        /// <summary>
        /// Set-NmcDevice -TakeBack: clears the mark of each device in one transaction (revision kept, so
        /// late results of the lost worker still merge if nothing changed here since). Devices not in
        /// flight are returned in <see cref="TakeBackResult.NotInFlight"/>, unknown ids in NotFound.
        /// </summary>
        public static TakeBackResult TakeBack(DeviceInventory inventory, IEnumerable<Guid> ids)
        {
            if (inventory == null) throw new ArgumentNullException(nameof(inventory));
            var wanted = ids.Distinct().ToList();
            return inventory.Transact(tx =>
            {
                var taken = new List<(NmcDevice Before, NmcDevice After)>();
                var notInFlight = new List<NmcDevice>();
                var notFound = new List<Guid>();
                foreach (var id in wanted)
                {
                    var device = tx.FindById(id);
                    if (device == null) { notFound.Add(id); continue; }
                    var before = device.Clone();
                    var after = TakeBack(tx, id);
                    if (after == null) notInFlight.Add(before);
                    else taken.Add((before, after.Clone()));
                }
                return new TakeBackResult(taken, notInFlight, notFound);
            });
        }
    }

    public sealed class TakeBackResult
    {
        internal TakeBackResult(IReadOnlyList<(NmcDevice Before, NmcDevice After)> takenBack, IReadOnlyList<NmcDevice> notInFlight, IReadOnlyList<Guid> notFound)
        {
            TakenBack = takenBack;
            NotInFlight = notInFlight;
            NotFound = notFound;
        }

        /// <summary>Each device as it was (still marked, naming the worker) and as stored now.</summary>
        public IReadOnlyList<(NmcDevice Before, NmcDevice After)> TakenBack { get; }
        public IReadOnlyList<NmcDevice> NotInFlight { get; }
        public IReadOnlyList<Guid> NotFound { get; }
    }
}
