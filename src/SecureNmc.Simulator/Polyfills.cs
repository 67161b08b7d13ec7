// netstandard2.0 lacks the marker types newer C# features need; the compiler only
// looks them up by name, so declaring them internally here is enough.
namespace System.Runtime.CompilerServices
{
    internal static class IsExternalInit { }
}
