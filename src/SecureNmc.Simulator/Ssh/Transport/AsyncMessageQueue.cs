using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace SecureNmc.Simulator.Ssh.Transport
{
    /// <summary>
    /// Hands messages from the transport's reader to the layer above. A waiter that times out or is
    /// cancelled leaves the queue, so it can never swallow a later message. Completion with an error
    /// fails every current and future waiter with that error.
    /// </summary>
    internal sealed class AsyncMessageQueue
    {
        private readonly object _gate = new object();
        private readonly Queue<byte[]> _items = new Queue<byte[]>();
        private readonly LinkedList<TaskCompletionSource<byte[]>> _waiters = new LinkedList<TaskCompletionSource<byte[]>>();
        private Exception? _completion;

        public long QueuedBytes { get; private set; }

        public void Enqueue(byte[] item)
        {
            lock (_gate)
            {
                if (_completion != null) return;
                while (_waiters.Count > 0)
                {
                    var waiter = _waiters.First!.Value;
                    _waiters.RemoveFirst();
                    if (waiter.TrySetResult(item)) return;
                }
                _items.Enqueue(item);
                QueuedBytes += item.Length;
            }
        }

        public void Complete(Exception error)
        {
            List<TaskCompletionSource<byte[]>> waiters;
            lock (_gate)
            {
                if (_completion != null) return;
                _completion = error;
                waiters = new List<TaskCompletionSource<byte[]>>(_waiters);
                _waiters.Clear();
            }
            foreach (var w in waiters) w.TrySetException(error);
        }

        public async Task<byte[]> DequeueAsync(TimeSpan timeout, string what, CancellationToken cancellationToken)
        {
            TaskCompletionSource<byte[]> waiter;
            LinkedListNode<TaskCompletionSource<byte[]>> node;
            lock (_gate)
            {
                if (_items.Count > 0)
                {
                    var item = _items.Dequeue();
                    QueuedBytes -= item.Length;
                    return item;
                }
                if (_completion != null) throw _completion;
                waiter = new TaskCompletionSource<byte[]>(TaskCreationOptions.RunContinuationsAsynchronously);
                node = _waiters.AddLast(waiter);
            }
            using (var timer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                if (timeout != Timeout.InfiniteTimeSpan) timer.CancelAfter(timeout);
                using (timer.Token.Register(() =>
                {
                    lock (_gate)
                    {
                        if (node.List != null) _waiters.Remove(node);
                    }
                    waiter.TrySetCanceled();
                }))
                {
                    try
                    {
                        return await waiter.Task.ConfigureAwait(false);
                    }
                    catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                    {
                        throw new SshTimeoutException($"No answer within {timeout.TotalSeconds:0.#} s while {what}.");
                    }
                }
            }
        }
    }
}
