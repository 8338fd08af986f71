from fastapi.testclient import TestClient

GOAL = {
    "title": "Care planned with people, not for them",
    "status": "active",
    "owner": "Director of Nursing",
    "review_date": "2027-03-31",
    "promises": [
        {
            "user_need": "I want to be involved in my own care planning",
            "promise": "Your care plan will be signed by you",
        }
    ],
}


def test_a_created_goal_reads_back_with_its_promises(api: TestClient) -> None:
    created = api.post("/api/v1/goals", json=GOAL)
    assert created.status_code == 201

    read = api.get(f"/api/v1/goals/{created.json()['id']}")

    assert read.status_code == 200
    assert read.json()["promises"] == GOAL["promises"]
    assert read.json()["title"] == GOAL["title"]
    assert read.json()["review_date"] == "2027-03-31"


def test_patch_changes_only_the_fields_sent(api: TestClient) -> None:
    goal_id = api.post("/api/v1/goals", json=GOAL).json()["id"]

    patched = api.patch(f"/api/v1/goals/{goal_id}", json={"status": "achieved"})

    assert patched.status_code == 200
    assert patched.json()["status"] == "achieved"
    assert patched.json()["owner"] == GOAL["owner"]


def test_deleted_goal_is_gone(api: TestClient) -> None:
    goal_id = api.post("/api/v1/goals", json=GOAL).json()["id"]

    assert api.delete(f"/api/v1/goals/{goal_id}").status_code == 204
    assert api.get(f"/api/v1/goals/{goal_id}").status_code == 404
