using CsCheck;
using K210Kpu.PostProcessing;

namespace K210Kpu.Tests.PostProcessing;

public class BsdQsortTests
{
    private struct ByKey : IBsdComparer<(int Key, int Id)>
    {
        public int Compare((int Key, int Id) x, (int Key, int Id) y) => x.Key.CompareTo(y.Key);
    }

    [Fact]
    public void Sort_AnyInput_IsOrderedPermutation()
    {
        Gen.Int[0, 5].Array[0, 300].Sample(keys =>
        {
            (int Key, int Id)[] a = keys.Select((k, i) => (k, i)).ToArray();
            var cmp = default(ByKey);
            BsdQsort.Sort(a.AsSpan(), ref cmp);
            for (int i = 1; i < a.Length; i++)
            {
                Assert.True(a[i - 1].Key <= a[i].Key);
            }

            Assert.Equal(Enumerable.Range(0, keys.Length), a.Select(p => p.Id).Order());
        });
    }

    [Fact]
    public void Sort_FewerThanSeven_IsStableInsertionSort()
    {
        (int Key, int Id)[] a = [(1, 0), (0, 1), (1, 2), (0, 3), (1, 4), (0, 5)];
        var cmp = default(ByKey);
        BsdQsort.Sort(a.AsSpan(), ref cmp);
        Assert.Equal(new[] { 1, 3, 5, 0, 2, 4 }, a.Select(p => p.Id));
    }

    [Fact]
    public void Sort_EqualKeys_AreNotKeptInOrder()
    {
        // The three-way partition moves equal keys: with all keys equal the pivot swap reorders them.
        (int Key, int Id)[] a = Enumerable.Range(0, 10).Select(i => (0, i)).ToArray();
        var cmp = default(ByKey);
        BsdQsort.Sort(a.AsSpan(), ref cmp);
        Assert.NotEqual(Enumerable.Range(0, 10), a.Select(p => p.Id));
    }
}
